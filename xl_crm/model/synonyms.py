"""The words real files use for the standard columns: one table to read and extend.

Per sheet key, canonical column key -> the headers that name it besides
its own English and Chinese headers (xl_crm.model.schema). Headers are
compared after schema.normalise_header (case folded, spaces as `_`), so
`Deal Stage`, `deal stage` and `DEAL  STAGE` are one word here.
`customer_name` is no standard column: it is the customer's name written
on a deal, contact or activity row, which links that row to its customer
(xl_crm.rules.customer_key) when the row has no customer ID.

Some words are left out on purpose, because guessing them changes the
meaning: a bare `close date` names the actual close date (closed_date;
an open deal's CloseDate in a Salesforce or HubSpot export is read as its
expected close), never a customer's expected close; `revenue` is a
company's size, not a deal's amount; `需求` is the need only when its
values read as Now/Future/None (xl_crm.sheets.read checks them).
"""

from __future__ import annotations

_CUSTOMER_NAME = ("customer", "customer name", "company", "company name", "account", "account name", "accountname",
                  "client", "client name", "organization", "organisation", "organization name", "org name",
                  "organization - name", "deal - organization", "associated company", "客户", "客户名称", "客户名",
                  "客户姓名", "客户全称", "公司", "公司名称", "单位名称", "企业名称", "店名", "门店名称", "门店")
_CUSTOMER_ID = ("account id", "accountid", "company id", "client id", "customer id", "organization id", "org id",
                "客户id", "客户代码", "客户编码", "客户编号")
_OWNER = ("owner", "sales rep", "rep", "salesperson", "sales person", "sales agent", "sales_agent", "owner name",
          "ownerid", "owner id", "hubspot_owner_id", "hubspot owner", "销售", "销售员", "业务员", "负责销售",
          "业务归属", "归属销售", "销售负责人", "跟进人", "负责人", "所属销售")

SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "customers": {
        "customer_id": ("id", *_CUSTOMER_ID, "编号"),
        "name": _CUSTOMER_NAME,
        "owner": ("account owner", *_OWNER),
        "industry": ("sector", "所属行业", "行业类别"),
        "region": ("地区", "城市", "所在地区", "省份"),
        "expected_close": ("expected close date", "expected close", "预计成交", "预计签约日期", "预计成交时间"),
        "last_contact": ("last contacted", "last contact date", "last activity date", "lastactivitydate",
                         "notes_last_contacted", "上次联系", "最后联系日期", "最近联系时间", "最后跟进时间",
                         "上次跟进日期"),
        "next_action_date": ("next action", "next action date", "follow up date", "next activity date",
                             "下次跟进日期", "下次联系时间", "下次跟进时间"),
    },
    "opportunities": {
        "opportunity_id": ("deal id", "opportunity id", "opportunityid", "deal_id", "record id", "id", "deal - id",
                           "项目编号", "商机id", "商机编码"),
        "customer_id": _CUSTOMER_ID,
        "customer_name": _CUSTOMER_NAME,
        "name": ("deal", "deal name", "dealname", "opportunity", "opportunity name", "opportunityname", "title",
                 "deal title", "deal - title", "项目", "项目名称", "商机", "机会名称", "商机名"),
        "owner": ("deal owner", "opportunity owner", "deal - owner", *_OWNER),
        "product": ("product name", "产品名称", "意向产品"),
        "stage": ("sales stage", "pipeline stage", "deal stage", "dealstage", "deal_stage", "stagename", "stage name",
                  "deal - stage", "销售阶段", "阶段名称", "商机阶段", "跟进阶段", "项目阶段"),
        "status": ("deal status", "deal - status", "商机状态", "项目状态"),
        "amount": ("value", "deal value", "deal - value", "deal amount", "sales amount", "opportunity amount",
                   "close value", "close_value", "合同金额", "预计金额", "金额(元)", "金额（元）", "成交金额",
                   "项目金额", "商机金额", "销售额"),
        "expected_close": ("expected close date", "expected close", "expected_close_date",
                           "deal - expected close date", "预计成交", "预计签约日期", "预计成交时间", "预计签单日期"),
        "closed_date": ("close date", "closedate", "close_date", "closed", "closed date", "close date actual",
                        "actual close date", "won time", "deal - won time", "实际成交日期", "签约日期", "成交时间",
                        "签单日期", "赢单日期"),
        "created": ("created date", "create date", "created on", "createddate", "createdate", "deal created",
                    "deal - deal created", "add time", "创建时间", "录入日期", "登记日期"),
        "stage_since": ("last stage change", "stage change date", "进入阶段时间"),
    },
    "contacts": {
        "contact_id": ("id", "person id", "contact id", "联系人id"),
        "customer_id": _CUSTOMER_ID,
        "customer_name": _CUSTOMER_NAME,
        "name": ("contact", "contact name", "contact person", "deal - contact person", "person - name", "full name",
                 "person", "person name", "联系人", "联系人姓名", "联系人名称"),
        "title": ("job title", "position", "职位", "岗位"),
        "department": ("所属部门",),
        "phone": ("phone", "phone number", "mobile", "tel", "telephone", "电话", "手机", "手机号", "联系电话",
                  "联系方式", "手机号码"),
    },
    "activities": {
        "date": ("activity date", "contact date", "跟进日期", "拜访日期", "跟进时间", "联系日期"),
        "customer_id": _CUSTOMER_ID,
        "customer_name": _CUSTOMER_NAME,
        "owner": ("sales rep", "rep", "销售", "业务员", "跟进人"),
        "type": ("activity type", "跟进方式", "类型"),
        "summary": ("notes", "note", "description", "内容", "备注", "跟进内容"),
    },
}

# the link of a row to its customer by name: no standard column, read beside them
LINKS = ("customer_name",)

# Per sheet key, the names other CRMs' exports and reps give a --data folder's files (compared as headers
# are, without `.csv`), besides the sheet key and the sheet's English and Chinese names. HubSpot and
# Pipedrive export deals.csv, companies.csv or organizations.csv, contacts.csv or persons.csv; Salesforce
# Opportunity.csv, Account.csv, Contact.csv; the public CRM sales data set accounts.csv and
# sales_pipeline.csv. Words as wide as `tasks` or `people` are left out: such a file may be anything.
FILE_NAMES: dict[str, tuple[str, ...]] = {
    "customers": ("customer", "account", "accounts", "company", "companies", "organization", "organizations",
                  "organisations", "client", "clients", "客户列表", "客户表", "公司"),
    "opportunities": ("opportunity", "deal", "deals", "pipeline", "sales pipeline", "sales_pipeline", "商机表",
                      "销售机会", "机会"),
    "contacts": ("contact", "persons", "联系人表"),
    "activities": ("activity", "interactions", "跟进", "拜访记录"),
}
