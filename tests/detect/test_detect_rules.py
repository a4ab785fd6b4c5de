"""Every rule of the machine flags, pinned by examples that must fire and must not fire.

The examples are written for the tests (not copied from the held-out sentences).  A meta-test
checks that every rule in ``lexicon/*.yml`` appears here, so a rule cannot be added without its
examples.
"""

from __future__ import annotations

import pytest

from reading_room.detect import lexicons
from reading_room.detect.rules import FRAMING, UNCITED, Flag, detect, quoted_spans

TECHNIQUES = {
    "loaded_language", "name_calling", "scare_quotes", "euphemism", "exaggeration_minimisation", "whataboutism",
    "appeal_to_authority", "black_and_white", "motive_attribution", "self_characterisation", "slogan",
    "causal_oversimplification", "doubt", "repetition",
}


def framing_rules(text: str) -> set[str]:
    return {f.rule for f in detect(text) if f.kind == FRAMING}


def uncited(text: str) -> list[Flag]:
    return [f for f in detect(text) if f.kind == UNCITED]


# --------------------------------------------------------------------------- framing rules

FRAMING_CASES = {
    "guaranteed-outcome": (
        ["The policies have effectively protected the workers' rights.",
         "The government has always prioritized employment.",
         "The county ensures that every worker is paid on time.",
         "People of all ethnic groups enjoy equal rights at work."],
        ["The county should effectively protect the workers' rights.",
         "The plan aims to effectively protect the workers' rights.",
         "The county will ensure that every worker is paid on time.",
         "Workers of all ethnic groups were interviewed."],
    ),
    "whole-population": (
        ["Officials systematically transferred villagers to factories.",
         "All Uyghurs in the county are subject to the quota."],
        ["Officials transferred 300 villagers to factories.",
         "The quota would apply to all Uyghurs in the county."],
    ),
    "praise": (
        ["The county has achieved remarkable results in job placement.",
         "This has laid a solid foundation for growth.",
         "The programme made tremendous progress.",
         "Officials resolutely implemented the plan.",
         "Employment reached new heights last year."],
        ["The county placed 4,000 workers in 2019.",
         "The foundation of the building is concrete.",
         "The plant treats solid waste from the county."],
    ),
    "strictly-observes": (
        ["The province strictly observes the labour law.",
         "Employers strictly abide by the regulations."],
        ["The law strictly forbids forced labour.",
         "Employers must observe the labour law."],
    ),
    "blame": (
        ["The campaign is becoming more insidious.",
         "They fabricated the interviews.",
         "Exports of the region are soaring.",
         "It is an Orwellian system of control.",
         "The ministry accused them of spreading lies."],
        ["The campaign is becoming more visible.",
         "They published the interviews in full.",
         "The problem lies in the data, not the method."],
    ),
    "disputed-verdict-coercion": (
        ["Coercive labor transfers continued in 2023.",
         "Workers were coerced into the programme.",
         "Villagers were subjected to skills training.",
         "It is a state-imposed system."],
        ["The law defines forced labour as work under threat of punishment.",
         "The offender will be subjected to a criminal investigation.",
         "Transfers continued in 2023."],
    ),
    "disputed-verdict-voluntary": (
        ["They voluntarily joined the transfer programme.",
         "Workers took the initiative to move to the coast.",
         "It was a free choice of employment."],
        ["The ILO defines forced labour as work someone did not voluntarily engage in.",
         "The survey asked whether the workers were voluntary or not.",
         "Workers moved to the coast."],
    ),
    "labels-for-opponents": (
        ["Anti-China forces spread these stories.",
         "The report is propaganda."],
        ["Critics of the programme published these stories.",
         "The report is 40 pages long."],
    ),
    "so-called": (
        ["The so-called report has no sources.",
         "So-called “focus groups” are monitored."],
        ["The report, called “Uyghurs for Sale”, has sources."],
    ),
    "contested-term-in-quotes": (
        ['They spread false claims of "forced labor" in the region.',
         "Detainees were “released” into factories.",
         "Officials want to “optimize” (i.e. reduce) the ratio."],
        ["Officials call it “high-quality development”.",
         'The article is titled "Employment and Labor Rights".'],
    ),
    "names-a-euphemism": (
        ["The state renamed them with the euphemistic title “training centres”."],
        ["The state renamed them “training centres” in 2017."],
    ),
    "absolutes": (
        ["Each and every household was visited.",
         "Coercive mobilization continues unabated.",
         "It runs the world's largest system of its kind."],
        ["Most households were visited.",
         "Mobilization continued in 2023."],
    ),
    "fully-verbs": (
        ["The government fully respects the wishes of workers.",
         "The plan was fully implemented.",
         "This undoubtedly proves the point."],
        ["The government asked workers what they wanted.",
         "The forms were fully completed by the clerks."],
    ),
    "what-about": (
        ["Those countries apply double standards to us."],
        ["Those countries apply the same standard to everyone."],
    ),
    "authority-said": (
        ["President Obama once said that the plan was the best.",
         "As a high-profile report put it, the camps were temporary."],
        ["The president visited the region in August."],
    ),
    "only-way": (
        ["Employment is the only way to escape poverty.",
         "Only in this way can they have a better future."],
        ["Employment is one way to escape poverty."],
    ),
    "hidden-motives": (
        ["Critics are guilty of ideological bias.",
         "He acted under the guise of charity.",
         "They have ulterior motives.",
         "Some politicians interfere in China's internal affairs."],
        ["Critics disagree with the figures.",
         "He acted as a charity volunteer."],
    ),
    "own-neutrality": (
        ["Not presupposing our own position, we let the facts speak.",
         "This is an objective analysis of the policy."],
        ["We interviewed 146 workers in March 2020.",
         "The position of the factory is objective to measure."],
    ),
    "set-phrases": (
        ["The country follows a people-centered philosophy of development.",
         "Their sense of gain has grown.",
         "This is poverty alleviation with Chinese characteristics.",
         "The party attaches great importance to ethnic unity."],
        ["The country follows a five-year plan.",
         "Their incomes have grown."],
    ),
    "single-cause": (
        ["As a result, some people have outdated ideas.",
         "Poverty is generally caused by low education."],
        ["As a result of the flood (Xinhua, May 2, 2020), roads closed.",
         "Poverty has several causes."],
    ),
    "dismisses-source": (
        ["These are subjective assumptions about Xinjiang.",
         "The report rests on false claims."],
        ["These are assumptions stated in the report's method section."],
    ),
}


def test_every_framing_rule_is_pinned():
    names = {r.id for r in lexicons.load().framing}
    assert names == set(FRAMING_CASES), f"unpinned: {names - set(FRAMING_CASES)}; stale: {set(FRAMING_CASES) - names}"


@pytest.mark.parametrize("rule, example", [(r, e) for r, (yes, _) in FRAMING_CASES.items() for e in yes])
def test_framing_rule_fires(rule, example):
    assert f"framing.{rule}" in framing_rules(example)


@pytest.mark.parametrize("rule, example", [(r, e) for r, (_, no) in FRAMING_CASES.items() for e in no])
def test_framing_rule_does_not_fire(rule, example):
    assert f"framing.{rule}" not in framing_rules(example)


def test_framing_techniques_are_the_editorial_vocabulary():
    for rule in lexicons.load().framing:
        assert rule.group in TECHNIQUES, rule.name


def test_words_inside_quotations_are_not_the_authors():
    assert framing_rules("The official said “the results are remarkable results of our work”.") == set()
    assert "framing.praise" in framing_rules("The results are remarkable results of our work.")


def test_framing_flag_covers_only_the_words():
    text = "Officials say the county achieved remarkable results last year."
    (flag,) = [f for f in detect(text) if f.kind == FRAMING]
    assert flag.exact == "remarkable results" == text[flag.start:flag.end]
    assert flag.technique == "loaded_language" and flag.strength == ""
    assert "remarkable results" in flag.evidence and "framing.yml" in flag.evidence


def test_repetition_fires_once_when_a_framing_rule_recurs():
    spec = lexicons.load().repetition
    n = int(spec["min_count"])
    text = " ".join(f"Coercive transfer number {i} happened." for i in range(n))
    reps = [f for f in detect(text) if f.technique == "repetition"]
    assert len(reps) == 1 and reps[0].start == 0 and str(n) in reps[0].evidence
    fewer = " ".join(f"Coercive transfer number {i} happened." for i in range(n - 1))
    assert not [f for f in detect(fewer) if f.technique == "repetition"]


# --------------------------------------------------------------------------- uncited: facts

FACT_CASES = {
    "figure.number-with-unit": (
        ["Incomes rose by 8.6 percent.", "It employs 4,800 workers.", "Each got RMB3,000.",
         "The ratio was 45.4 : 16.0 : 38.6.", "They trained 22 extremely poor counties."],
        ["The 14th Five-Year Plan sets goals.", "See Table 6 below.", "It happened in 2019"],
    ),
    "figure.number-words": (
        ["Thousands of villagers moved.", "There is considerable hidden unemployment."],
        ["Villagers moved.", "The three industries grew apart."],
    ),
    "figure.record-or-rank": (
        ["Enrolment reached its highest level.", "It is the largest programme."],
        ["Enrolment reached a high level."],
    ),
    "event.dated": (
        ["In March 2020, the team visited the factory.", "The zone was established in 2012.",
         "The office published an article in 2023.", "In the same month, a township received laborers."],
        ["The zone was established long ago.", "The 2030 Agenda sets goals."],
    ),
    "event.recent": (
        ["Recently, congressmen proposed a bill."],
        ["Congressmen proposed a bill."],
    ),
    "trend.measured-change": (
        ["The income of residents has increased steadily.", "The programme continues to expand.",
         "Surplus labor is increasingly moving to cities.", "Labor transfers have continued."],
        ["The government improved its policies.", "Policies have been formulated."],
    ),
    "people.wants-feels-does": (
        ["They all want to work outside.", "Villagers were keen to move.", "No one is forced to go.",
         "Most people are satisfied with their life.", "They have fabricated facts about us."],
        ["The factory has a canteen.", "The law grants the right to enjoy rest."],
    ),
    "people.individual-story": (
        ["Amina Rahman from Ghoruchol Town opened a shop.", "She found a job in Urumqi."],
        ["A shop opened in Urumqi."],
    ),
    "sweeping.absolutes": (
        ["People working outside all have stable incomes.", "Everyone has access to social security.",
         "Many workers send money home.", "Workers fully respected the rules."],
        ["All these measures help.", "It made every effort to help.", "It offers all-round training."],
    ),
    "sweeping.general-condition": (
        ["The number of poor people is large.", "The region has long lagged behind.",
         "High income is the driving force for migration."],
        ["The number of poor people was counted."],
    ),
}

NOT_A_CLAIM_CASES = {
    "not_a_claim.recommendation-or-plan": (
        ["China should create 100,000 more jobs.", "By 2025, poverty will be eliminated in all counties.",
         "If they want, 90 percent could leave.", "This indicates a continuation of 2021 policy.",
         "In short, transfers rose 10 percent.", "To encourage 500 people, the county offers loans."],
        ["The county created 100,000 jobs."],
    ),
    "not_a_claim.method-description": (
        ["We do not presuppose any position on the 146 workers.",
         "The research adopts interviews with 146 workers."],
        ["The team found that 84% would stay."],
    ),
}


def _rule(name: str):
    group, rule_id = name.split(".")
    for r in lexicons.load().facts[group]:
        if r.id == rule_id:
            return r
    raise KeyError(name)


def test_every_fact_rule_is_pinned():
    lex = lexicons.load()
    names = {f"{g}.{r.id}" for g, rules in lex.facts.items() for r in rules}
    pinned = set(FACT_CASES) | set(NOT_A_CLAIM_CASES)
    assert names == pinned, f"unpinned: {names - pinned}; stale: {pinned - names}"


@pytest.mark.parametrize("rule, example", [(r, e) for r, (yes, _) in FACT_CASES.items() for e in yes])
def test_fact_rule_fires(rule, example):
    r = _rule(rule)
    assert r.search(example) and not r.blocked(example)
    flags = uncited(example)
    assert flags, f"{example!r} should be flagged uncited"


@pytest.mark.parametrize("rule, example", [(r, e) for r, (_, no) in FACT_CASES.items() for e in no])
def test_fact_rule_does_not_fire(rule, example):
    r = _rule(rule)
    assert not (r.search(example) and not r.blocked(example))


@pytest.mark.parametrize("rule, example", [(r, e) for r, (yes, _) in NOT_A_CLAIM_CASES.items() for e in yes])
def test_not_a_claim_blocks_the_flag(rule, example):
    assert _rule(rule.removeprefix("")).search(example)
    assert uncited(example) == []


@pytest.mark.parametrize("rule, example", [(r, e) for r, (_, no) in NOT_A_CLAIM_CASES.items() for e in no])
def test_not_a_claim_leaves_claims_alone(rule, example):
    assert not _rule(rule).search(example)


# --------------------------------------------------------------------------- uncited: evidence

CITED_CASES = {
    "parenthetical-source": (
        ["Transfers reached 3.17 million in 2021 (Central Asian Survey, November 30, 2023).",
         "Transfers reached 3.05 million (Xinhua, October 27, 2023).",
         "Plans grew by 20 percent (China Brief, 2022; XUAR Government, December 14, 2021).",
         "The region needed 245 laborers (Tianshan, January 30)."],
        ["Transfers reached 3.05 million (about 10 percent more)."],
    ),
    "named-document-says": (
        ["The *Labor Law* stipulates that 100 percent of wages be paid.",
         "China's Criminal Law and Labor Law all stipulate that 2 years is the term."],
        ["China has 26 laws on labour."],
    ),
    "named-person-or-outlet-says": (
        ["Xi Jinping argued that 38 percent more transfers were needed.",
         "The Chinese Foreign Ministry said that 90 percent of reports were false."],
        ["A Xinjiang employee said that 90 percent of workers stayed."],
    ),
    "according-to-named": (
        ["According to Deutsche Welle, 600,000 people moved."],
        ["According to relevant departments, 151,000 people moved."],
    ),
    "named-report-title": (
        ["As noted by the “Nankai Report,” 20 percent were moved."],
        ["As noted above, 20 percent were moved."],
    ),
    "named-in-plan": (
        ["The county aims to employ every able person, as mandated in the 14th Five-Year Plan.",
         "In March 2023, the region issued the “Construction Worker Action Plan” for 300,000 workers."],
        ["In March 2023, the region issued new rules for 300,000 workers."],
    ),
    "author-self-reference": (
        ["The system was expanded in 2023, first documented by the author in June 2022."],
        ["The system was expanded in 2023."],
    ),
    "research-team": (
        ["The I&R Team found that 84% of employees would stay.",
         "Our survey results show that 64% are very satisfied.",
         "Of the 146 respondents, 123 send money home."],
        ["Some employees told the I&R Team that 84% would stay."],
    ),
}

VAGUE_CASES = {
    "relevant-departments": (["According to relevant departments, 151,000 people moved."],
                             ["According to the Ministry of Labour, 151,000 people moved."]),
    "unnamed-survey": (["Surveys show that 2.59 million people were surplus labor.",
                        "According to a survey in early 2020, 85 percent wanted to leave."],
                       ["The 2020 census counted 2.59 million people."]),
    "unnamed-people-said": (["One worker told the team that 90 percent stay.",
                             "Researchers say they earn higher salaries.",
                             "A person in charge of an enterprise said wages reached 6000 yuan."],
                            ["Worker income reached 6000 yuan."]),
    "unnamed-reports": (["State media reports confirm 3.05 million transfers.",
                         "The evidence indicates that the camps closed in 2020."],
                        ["Xinhua announced 3.05 million transfers (Xinhua, May 2, 2023)."]),
    "unnamed-think-tanks": (["According to the US think tank, 80,000 workers were moved."],
                            ["According to ASPI, 80,000 workers were moved."]),
}


def _evidence_rule(group: str, rule_id: str):
    lex = lexicons.load()
    pool = {"cited": lex.cited + lex.own_research, "vague": lex.vague}[group]
    return next(r for r in pool if r.id == rule_id)


def test_every_citation_and_vague_rule_is_pinned():
    lex = lexicons.load()
    assert {r.id for r in lex.cited + lex.own_research} == set(CITED_CASES)
    assert {r.id for r in lex.vague} == set(VAGUE_CASES)


@pytest.mark.parametrize("rule, example", [(r, e) for r, (yes, _) in CITED_CASES.items() for e in yes])
def test_citation_evidence_clears_the_sentence(rule, example):
    assert _evidence_rule("cited", rule).search(example)
    assert uncited(example) == []


@pytest.mark.parametrize("rule, example", [(r, e) for r, (_, no) in CITED_CASES.items() for e in no])
def test_no_citation_evidence_leaves_the_flag(rule, example):
    assert not _evidence_rule("cited", rule).search(example)
    assert uncited(example), f"{example!r} asserts a fact without a source"


@pytest.mark.parametrize("rule, example", [(r, e) for r, (yes, _) in VAGUE_CASES.items() for e in yes])
def test_vague_attribution_gives_vague_strength(rule, example):
    assert _evidence_rule("vague", rule).search(example)
    (flag,) = uncited(example)
    assert flag.strength == "vague" and rule in flag.evidence


@pytest.mark.parametrize("rule, example", [(r, e) for r, (_, no) in VAGUE_CASES.items() for e in no])
def test_vague_rule_does_not_fire_on_named_or_no_attribution(rule, example):
    assert not _evidence_rule("vague", rule).search(example)
    assert all(f.strength != "vague" for f in uncited(example))


# --------------------------------------------------------------------------- uncited: reach

def test_continuation_carries_a_citation_to_the_next_sentence():
    text = ("The village placed 1,606 villagers into work (Artush City, January 15). "
            "Of these, 157 or 9.8 percent were employed in other provinces.")
    assert uncited(text) == []


def test_continuation_chains_but_needs_an_anaphoric_opening():
    cited = "The county placed 1,606 villagers into work (Artush City, January 15). "
    assert uncited(cited + "Of these, 157 went east. Among them, 20 went to Jiangsu.") == []
    flags = uncited(cited + "In 2023, 300 more villagers went east.")
    assert len(flags) == 1 and flags[0].exact.startswith("In 2023")


def test_a_citation_after_the_claim_does_not_cover_it():
    text = "Hubei received 13,700 laborers. It continues to employ them (Hubei government, July 4, 2023)."
    flags = uncited(text)
    assert [f.exact for f in flags] == ["Hubei received 13,700 laborers."]


def test_continuation_does_not_cross_paragraphs():
    text = "The county placed 1,606 villagers (Artush City, January 15).\n\nOf these, 157 villagers went east."
    assert [f.exact for f in uncited(text)] == ["Of these, 157 villagers went east."]


def test_vague_status_also_carries_over():
    text = "Some employees told the team that they earn 5,000 yuan. They said that 90 percent stay."
    assert [f.strength for f in uncited(text)] == ["vague", "vague"]


def test_footnote_marker_counts_only_when_the_note_exists():
    with_note = "Transfers reached 3 million people.[1]\n\nNotes\n\n[1] Smith, A report, 2020."
    assert uncited(with_note) == []
    without = "Transfers reached 3 million people.[1] Nothing else."
    (flag,) = uncited(without)
    assert flag.strength == "unsourced" and "no note [1]" in flag.evidence


def test_uncited_flag_is_the_whole_sentence():
    text = "Intro. From 2014 to 2019, employment rose from 11.35 million to 13.3 million. End."
    (flag,) = uncited(text)
    assert flag.exact == "From 2014 to 2019, employment rose from 11.35 million to 13.3 million."
    assert text[flag.start:flag.end] == flag.exact
    assert flag.rule.startswith("uncited.") and flag.technique == "" and flag.strength == "unsourced"


def test_quoted_figures_are_someone_elses_words():
    assert uncited("He said, “I could only earn 200 to 300 yuan a year.”") == []


def test_tables_dialogue_and_captions_are_not_read():
    text = ("Industry\tCount\nAgriculture\t92\n\nTable 6. 136 of 136 said yes\n\n"
            "Worker A: We earn 5,000 yuan. All of us are free.")
    assert detect(text) == []


def test_bibliography_notes_are_not_read():
    text = "A claim. [1]\n\nNotes\n\n[1] Zenz, A. (2023). Coercive Labor in 2023. https://doi.org/10.1/x."
    assert [f for f in detect(text) if f.start > text.index("Notes")] == []


# --------------------------------------------------------------------------- shapes

def test_flags_are_frozen_and_serialise_with_one_label():
    text = "Each and every one of 4,000 villagers wanted to move."
    flags = detect(text)
    assert {f.kind for f in flags} == {FRAMING, UNCITED}
    for f in flags:
        d = f.to_dict()
        assert d["kind"] in (FRAMING, UNCITED)
        assert ("technique" in d) != ("strength" in d)
        assert text[d["start"]:d["end"]] == d["exact"]
        assert d["rule"] and d["evidence"]
        with pytest.raises(Exception):
            f.start = 0  # frozen


def test_flags_are_sorted_and_not_duplicated():
    text = "Each and every one of 4,000 villagers fully satisfied. " * 3
    flags = detect(text)
    starts = [f.start for f in flags]
    assert starts == sorted(starts)
    keys = [(f.kind, f.label, f.start, f.end) for f in flags]
    assert len(keys) == len(set(keys))


def test_one_flag_per_run_of_a_rules_words():
    """Entries of one rule that overlap make one note, and one inside another adds nothing:
    a reader should not get two margin notes for "remain trapped" and "trapped in"."""
    text = "The workers remain trapped in debt. The system is a smear campaign."
    blame = [f.exact for f in detect(text) if f.rule == "framing.blame"]
    assert blame == ["remain trapped in", "smear"]
    assert [f.exact for f in detect(text) if f.rule == "framing.labels-for-opponents"] == ["smear campaign"]


def test_quoted_spans_pair_curly_and_straight_quotes():
    text = 'He said “one” and "two". “Open to the end'
    spans = [text[a:b] for a, b in quoted_spans(text)]
    assert spans == ["“one”", '"two"', "“Open to the end"]


def test_empty_and_blank_texts_have_no_flags():
    assert detect("") == [] and detect("\n\n  \n") == []
