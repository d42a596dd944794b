Attribute VB_Name = "xl_crm"
' Buttons of the xl_crm workbook. Import this module (VBA editor: File > Import File),
' set a reference to the xlwings add-in (Tools > References > xlwings) and assign each
' Sub to a button (Developer > Insert > Button). Each calls one function of xl_crm.excel.macros.
Option Explicit

' Write the synced columns (last contact, touches, next close, revenue, tier) and rebuild Today.
Sub CrmRefresh()
    RunPython "import xl_crm.excel.macros as m; m.refresh()"
End Sub

' Rebuild the Today sheet: overdue and due follow-ups, most urgent first, by rep.
Sub CrmShowToday()
    RunPython "import xl_crm.excel.macros as m; m.show_today()"
End Sub

' Log a touch for the selected customer row (asks type, summary, next date).
Sub CrmLogActivity()
    RunPython "import xl_crm.excel.macros as m; m.log_activity()"
End Sub

' Save, then write this month's team and per-rep reports into a reports folder beside the workbook.
Sub CrmWriteReports()
    RunPython "import xl_crm.excel.macros as m; m.write_reports()"
End Sub

' Save, then write an upgraded copy NAME-upgraded.xlsx(m) beside the workbook.
Sub CrmUpgrade()
    RunPython "import xl_crm.excel.macros as m; m.upgrade()"
End Sub
