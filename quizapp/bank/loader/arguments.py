"""arguments.yaml: the thesis and the claims, with their reasons, concessions and links."""

from __future__ import annotations

import difflib
from typing import Any

from ..model import STANCES, Claim, Concession, Essay, OpposingView, Reason, WrittenDistractor
from ..text import normalize_answer
from ..yamlines import LineDict
from .errors import _Errors
from .facts import _string_list, _topic_ref, _weight


def _load_claim(
    rec: LineDict,
    essay: Essay | None,
    topic_ids: set[str],
    ids: dict[str, str],
    errs: _Errors,
    *,
    thesis: bool,
    restates: list[tuple[_Errors, LineDict, str | None, str]] | None = None,
) -> tuple[Claim | None, list[tuple[LineDict, str]]]:
    """One claim, and the (record, claim id) pairs its reasons name in ``supports``."""
    what = "the thesis" if thesis else "a claim"
    allowed = (
        "id",
        "text",
        "para",
        "quote",
        "stance",
        "reasons",
        "opposing",
        "concessions",
        "distractors",
        "weight",
        "explanation",
        "restates",
    )
    if not thesis:
        allowed = ("topic", *allowed)
    errs.unknown_keys(rec, allowed, what)
    cid = errs.ident(rec, what, ids)
    topic = None if thesis else _topic_ref(rec, topic_ids, errs)
    text = errs.text(rec, "text", what)
    stance = (
        "endorses" if thesis and "stance" not in rec else errs.choice(rec, "stance", STANCES, what)
    )
    para = errs.para(rec, "para", what, essay)
    quote = errs.quote(rec, "quote", what, essay, para)
    weight = _weight(rec, errs, what)
    explanation = errs.text(rec, "explanation", what, required=False)
    links: list[tuple[LineDict, str]] = []
    said: list[tuple[_Errors, LineDict, str | None, str]] = []

    def restated(r: LineDict, own: str | None) -> tuple[str, ...]:
        found = _string_list(r, "restates", errs)
        said.extend((errs, r, own, other) for other in found)
        return found

    claim_restates = restated(rec, cid)
    reasons: list[Reason] = []
    for n, r in enumerate(errs.records(rec.get("reasons"), "reason", rec.line_of("reasons")), 1):
        errs.unknown_keys(r, ("text", "para", "quote", "supports", "restates"), "a reason")
        rtext = errs.text(r, "text", "a reason")
        rpara = errs.para(r, "para", "a reason", essay)
        rquote = errs.quote(r, "quote", "a reason", essay, rpara)
        rsupports = _string_list(r, "supports", errs)
        links += [(r, s) for s in rsupports]
        rrestates = restated(r, f"{cid}#reason-{n}" if cid else None)
        if rtext and rpara and rquote:
            reasons.append(Reason(rtext, rpara, rquote, rsupports, rrestates))
    if not thesis and "reasons" not in rec:
        errs.add(
            rec.line,
            f"{what} has no 'reasons'",
            "add 'reasons:' with at least one reason, or 'reasons: []' when the essay gives"
            " none but its own words (the claim is then asked only as a stance)",
        )
    opposing: list[OpposingView] = []
    for n, o in enumerate(
        errs.records(rec.get("opposing"), "opposing view", rec.line_of("opposing")), 1
    ):
        errs.unknown_keys(o, ("text", "para", "quote", "rebuttal", "restates"), "an opposing view")
        otext = errs.text(o, "text", "an opposing view")
        opara = errs.para(o, "para", "an opposing view", essay)
        oquote = errs.quote(o, "quote", "an opposing view", essay, opara) if "quote" in o else None
        rebuttal = errs.text(o, "rebuttal", "an opposing view", required=False)
        orestates = restated(o, f"{cid}#opposing-{n}" if cid else None)
        if otext and opara and ("quote" not in o or oquote):
            opposing.append(OpposingView(otext, opara, oquote, rebuttal, orestates))
    concessions: list[Concession] = []
    for c in errs.records(rec.get("concessions"), "concession", rec.line_of("concessions")):
        errs.unknown_keys(c, ("text", "para", "quote"), "a concession")
        ctext = errs.text(c, "text", "a concession")
        cpara = errs.para(c, "para", "a concession", essay)
        cquote = errs.quote(c, "quote", "a concession", essay, cpara)
        if ctext and cpara and cquote:
            concessions.append(Concession(ctext, cpara, cquote))
    distractors: list[WrittenDistractor] = []
    for d in errs.records(rec.get("distractors"), "distractor", rec.line_of("distractors")):
        errs.unknown_keys(d, ("text", "why"), "a distractor")
        dtext = errs.text(d, "text", "a distractor")
        why = errs.text(d, "why", "a distractor", required=False)
        if dtext:
            if normalize_answer(dtext) in {normalize_answer(r.text) for r in reasons}:
                errs.add(
                    d.line_of("text"),
                    "this distractor is also one of the claim's reasons",
                    "remove it from 'distractors' or from 'reasons'",
                )
            else:
                distractors.append(WrittenDistractor(dtext, why))
    if (
        not thesis
        and "reasons" in rec
        and not reasons
        and not (explanation if stance == "rejects" else rec.get("opposing"))
    ):
        # A claim the essay asserts without grounds is taught from the author's answer: the
        # explanation of a rejected view, the rebuttal of an endorsed claim's opposing view.
        errs.add(
            rec.line_of("reasons"),
            f"{what} has no reasons, and nothing to teach it from",
            "add 'explanation:' (the author's answer to the view)"
            if stance == "rejects"
            else "add an 'opposing:' view with its 'rebuttal:'",
        )
    if cid and (thesis or topic) and text and stance and para and quote:
        claim = Claim(
            id=cid,
            topic=topic,
            text=text,
            stance=stance,  # type: ignore[arg-type]
            para=para,
            quote=quote,
            reasons=tuple(reasons),
            opposing=tuple(opposing),
            concessions=tuple(concessions),
            distractors=tuple(distractors),
            weight=weight,
            explanation=explanation,
            restates=claim_restates,
        )
    else:
        claim = None
    if restates is not None:
        restates += said
    return claim, links


def _load_arguments(
    data: Any,
    essay: Essay | None,
    topic_ids: set[str],
    ids: dict[str, str],
    errs: _Errors,
    restates: list[tuple[_Errors, LineDict, str | None, str]] | None = None,
) -> tuple[Claim | None, list[Claim]]:
    if data is None:
        return None, []
    links: list[tuple[LineDict, str]] = []
    if not isinstance(data, LineDict):
        errs.add(
            getattr(data, "line", 1),
            "arguments.yaml is not a mapping",
            "write 'thesis:' and 'claims:'",
        )
        return None, []
    errs.unknown_keys(data, ("thesis", "claims"), "arguments.yaml")
    thesis = None
    if "thesis" in data:
        if isinstance(data["thesis"], LineDict):
            thesis, found = _load_claim(
                data["thesis"], essay, topic_ids, ids, errs, thesis=True, restates=restates
            )
            links += found
        else:
            errs.add(
                data.line_of("thesis"),
                "'thesis' must be a mapping",
                "give it 'id', 'text', 'para' and 'quote'",
            )
    claims = []
    for rec in errs.records(data.get("claims"), "claim", data.line_of("claims")):
        claim, found = _load_claim(
            rec, essay, topic_ids, ids, errs, thesis=False, restates=restates
        )
        links += found
        if claim:
            claims.append(claim)
    claim_ids = {c.id for c in claims} | ({thesis.id} if thesis else set())
    for r, other in links:
        if other not in claim_ids:
            close = difflib.get_close_matches(other, sorted(claim_ids), n=1)
            fix = f"did you mean '{close[0]}'?" if close else "use a claim id from this file"
            errs.add(r.line_of("supports"), f"unknown claim '{other}'", fix)
    return thesis, claims
