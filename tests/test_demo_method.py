"""The demo's big-account data: maps of every shape, rivals, reasons, greetings."""

from __future__ import annotations

from datetime import date

from xl_crm.commands.demo import demo_frames
from xl_crm.commands.demo_method import method_frames
from xl_crm.compute.step import compute
from xl_crm.model.vocab import MAP_WARNINGS

AS_OF = date(2026, 6, 30)


def test_demo_maps_have_every_shape_and_rivals_and_reasons():
    for lang in ("en", "zh"):
        frames = method_frames(demo_frames(AS_OF, lang, customers=60, opportunities=200, contacts=150,
                                           activities=600), AS_OF, lang)
        computed = compute(frames, AS_OF)
        synced = computed.opportunity_synced
        warned = synced["map_warnings"].dropna()
        open_ = synced["map_contacts"].notna()
        assert (open_ & synced["map_warnings"].isna() & (synced["map_contacts"] >= 2)).any()  # well covered
        assert warned.str.startswith("No decision maker").any()
        assert (synced["map_contacts"] == 1).any() and warned.str.contains("One department only").any()
        assert set(warned.str.split("; ").explode()) <= set(MAP_WARNINGS.values)
        opps = frames["opportunities"]
        assert opps["competitor"].notna().mean() > 0.5
        assert opps.loc[opps["status"].isin(["Lost", "丢单"]), "reason"].notna().all()
        assert len(frames["competitors"]) and len(frames["deal_contacts"])
        assert frames["contacts"]["birthday"].map(lambda v: isinstance(v, str)).any()  # some as MM-DD
        assert frames["activities"]["type"].isin(["Greeting", "问候"]).sum() == 10
