"""A team folder read on a Dask cluster (a distributed.LocalCluster here) gives the same data set, refresh
and report as the local run: each workbook is read by a worker, only its frames travel back."""

from __future__ import annotations

import pytest
from helpers import TEAM_DAY as DAY
from helpers import TEAM_MONTH as MONTH
from helpers import kpi_rows, round_robin, team_folder, xl_crm

from xl_crm.folder.parallel import reader
from xl_crm.folder.read import read_team
from xl_crm.reports.batch import write_reports

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        yield c.scheduler_address


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    from xl_crm.commands.demo import demo_frames

    frames = demo_frames(DAY, customers=30, opportunities=90, contacts=30, activities=300)
    return team_folder(tmp_path_factory.mktemp("dask") / "team", frames, round_robin(3))


def test_the_cluster_reads_the_same_team_as_this_machine(folder, cluster):
    local, remote = read_team(folder), read_team(folder, reader=reader(cluster))
    assert [d.path.name for d in remote.members] == [d.path.name for d in local.members]
    for key in ("customers", "opportunities", "activities"):
        assert remote.merged.frame(key).equals(local.merged.frame(key))


def test_the_cluster_report_has_the_local_kpis(folder, cluster, tmp_path, monkeypatch):
    here = write_reports(folder, [MONTH], tmp_path / "here")
    monkeypatch.setenv("XL_CRM_SCHEDULER", cluster)
    there = write_reports(folder, [MONTH], tmp_path / "there", reader=reader())
    assert [p.name for p in here] == [p.name for p in there]
    for a, b in zip(here, there):
        assert kpi_rows(a) == kpi_rows(b)


def test_the_cluster_checks_each_file_where_it_reads_it(folder, cluster, tmp_path):
    import shutil

    from xl_crm.ooxml.package import Package
    from xl_crm.sheets.read import read_workbook
    from xl_crm.team.check import check_team

    team = shutil.copytree(folder, tmp_path / "team")
    deals = read_workbook(team / "book1.xlsx").tables["opportunities"]
    with Package.open(team / "book1.xlsx") as pkg:
        pkg.set_cells(deals.sheet_name, {(deals.header_row + 1, deals.columns["amount"]): "lots"})
        pkg.save(backup=False)
    local, remote = check_team(team)[1], check_team(team, reader=reader(cluster))[1]
    found = [(path.name, problem.text("en")) for path, problem in remote]
    assert found == [(path.name, problem.text("en")) for path, problem in local]
    assert any(name == "book1.xlsx" and "'lots'" in text for name, text in found), found


def test_a_scheduler_that_is_no_address_is_said_in_one_line(folder):
    run = xl_crm("check", folder, "--scheduler", "my-cluster")
    assert run.exit_code == 2
    assert run.output.strip() == ("xl-crm: cannot use the Dask scheduler 'my-cluster' (missing port number in address "
                                  "'my-cluster'); give --scheduler tcp://HOST:PORT or set XL_CRM_SCHEDULER")
