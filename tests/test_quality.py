"""Item-writing rules of `trainer check` and the exam-grade targets of `trainer coverage` (issue 11).

Each rule gets a failing and a passing example built from small YAML files; the duplicate
thresholds are tried on near duplicates and distinct items taken from the real bank's history.
"""

from __future__ import annotations

import json
import time

import pytest

from tests.conftest import card_yaml
from trainer.cli import main
from trainer.content.coverage import Targets, bank_figures, is_scenario, missed_targets
from trainer.content.loader import load_bank
from trainer.content.model import Domain, Option, Question
from trainer.content.quality import (
    CARD_ERROR,
    CARD_WARN,
    STEM_ERROR,
    STEM_WARN,
    cue_rate,
    longest_is_correct,
    middle_rate,
    near_duplicates,
    reference_problem,
    review,
    stated_choice,
)

DOCS = "https://docs.aws.amazon.com/lambda/latest/dg/welcome.html"
SCENARIO = (
    "A retail company runs an order service on Amazon ECS with AWS Fargate behind an Application "
    "Load Balancer. During a sale the tasks are replaced every few minutes and the team sees that "
    "the new tasks fail their health checks before the application has finished warming its "
    "caches, so users get errors. {tail}"
)


def question_yaml(
    qid: str,
    *,
    stem: str = "",
    options: tuple[str, ...] = ("Do A", "Do B", "Do C", "Do D"),
    answer: str = "0",
    qtype: str = "single",
    domain: str = "development",
    topic: str = "alpha",
    cards: str = "a1",
    url: str = DOCS,
) -> str:
    stem = (
        stem
        or f"Case {qid}: the team needs {qid}-alpha and {qid}-beta with {qid}-gamma. What should they do?"
    )
    lines = [
        f"  - id: {qid}",
        f"    stem: {json.dumps(stem)}",
        f"    type: {qtype}",
        "    options:",
        *[f"      - {{text: {json.dumps(text)}, explanation: Because.}}" for text in options],
        f"    answer: {answer}",
        f"    domain: {domain}",
        "    difficulty: 2",
        f"    topic: {topic}",
        f"    cards: [{cards}]",
        "    outline: [notes.one]",
        "    references:",
        f"      - {{title: Docs, url: '{url}'}}",
    ]
    return "\n".join(lines) + "\n"


def bank_with(write_content, questions: str, cards: str | None = None):
    write_content("cards.yaml", "cards:\n" + (cards if cards is not None else card_yaml("a1")))
    write_content("questions.yaml", "questions:\n" + questions)
    bank = load_bank([write_content.root])
    assert bank.ok, bank.problems
    return bank


def messages(problems) -> str:
    return "\n".join(str(p) for p in problems)


# -- the longest-option cue ---------------------------------------------------------------------------

LONG = "Use a much longer option that a test-wise learner would pick"


def cued(qid: str) -> str:
    return question_yaml(qid, options=(LONG, "Short B", "Short C", "Short D"))


def fair(qid: str) -> str:
    return question_yaml(qid, options=("Short A", LONG, "Short C", "Short D"))


def test_longest_option_counts_ties_and_only_single_answer():
    opts = tuple(Option(t, "") for t in ("aaaa", "bbbb", "cc", "d"))
    q = Question("q", "s", "single", opts, (0,), Domain.DEVELOPMENT, 2, "alpha")
    assert longest_is_correct(q)  # tied for longest
    assert not longest_is_correct(Question("q", "s", "single", opts, (2,), Domain.DEVELOPMENT, 2, "alpha"))
    multi = Question("q", "s", "multiple", opts, (0, 1), Domain.DEVELOPMENT, 2, "alpha")
    assert cue_rate([q, multi]).singles == 1 and cue_rate([q, multi]).cued == ("q",)


def test_cue_rate_above_target_fails_and_names_the_questions(write_content, capsys):
    bank_with(write_content, cued("q1") + cued("q2") + fair("q3") + fair("q4") + fair("q5"))
    assert main(["check", str(write_content.root)]) == 1
    out = capsys.readouterr().out
    assert "questions.yaml:" in out and "longest in 2 of 5 single-answer questions (40%" in out
    assert "q1, q2" in out and "q3" not in out.split("tighten the answer in")[1]


def test_cue_rate_at_target_passes(write_content, capsys):
    bank_with(write_content, cued("q1") + fair("q2") + fair("q3") + fair("q4") + fair("q5"))
    assert main(["check", str(write_content.root)]) == 0
    assert "longest" not in capsys.readouterr().out


def test_cue_rate_in_a_small_file_is_only_a_warning(write_content, capsys):
    bank = bank_with(write_content, cued("q1") + fair("q2"))
    report = review(bank)
    assert not report.errors and "longest in 1 of 2" in messages(report.warnings)
    assert main(["check", str(write_content.root)]) == 0
    assert "warning: longest" not in capsys.readouterr().out  # the id comes first
    assert main(["check", "--no-warnings", str(write_content.root)]) == 0


# -- "choose N" wording ---------------------------------------------------------------------------------

FIVE = ("Do A", "Do B", "Do C", "Do D", "Do E")


@pytest.mark.parametrize(
    ("stem", "qtype", "answer", "expected"),
    [
        (
            "Which TWO actions meet the need? (Choose three.)",
            "multiple",
            "[0, 1]",
            "says to choose 2 and 3 options",
        ),
        ("Which actions meet the need? (Choose three.)", "multiple", "[0, 1]", "choose 3 but 2 options"),
        ("Which actions meet the need?", "multiple", "[0, 1]", "must say how many to pick"),
        ("Which action meets the need? (Choose two.)", "single", "0", "question is single-answer"),
    ],
)
def test_choice_wording_that_disagrees_fails(write_content, capsys, stem, qtype, answer, expected):
    options = FIVE if qtype == "multiple" else FIVE[:4]
    bank_with(write_content, question_yaml("q1", stem=stem, qtype=qtype, answer=answer, options=options))
    assert main(["check", str(write_content.root)]) == 1
    assert expected in capsys.readouterr().out


@pytest.mark.parametrize(
    ("stem", "qtype", "answer"),
    [
        ("Which TWO actions meet the need? (Choose two.)", "multiple", "[0, 1]"),
        ("Which actions meet the need? Select THREE.", "multiple", "[0, 1, 2]"),
        ("The team must decide which two subnets to use. What should it do?", "single", "0"),
    ],
)
def test_choice_wording_that_agrees_passes(write_content, stem, qtype, answer):
    options = FIVE if qtype == "multiple" else FIVE[:4]
    bank_with(write_content, question_yaml("q1", stem=stem, qtype=qtype, answer=answer, options=options))
    assert main(["check", str(write_content.root)]) == 0


def test_stated_choice_reads_words_and_digits():
    assert stated_choice("Which TWO settings? (Choose two.)") == (2,)
    assert stated_choice("(Select 3)") == (3,)
    assert stated_choice("which two versions does the alias use?") == ()


# -- option counts --------------------------------------------------------------------------------------


def test_multiple_response_with_seven_options_fails(write_content, capsys):
    seven = (*FIVE, "Do F", "Do G")
    bank_with(
        write_content,
        question_yaml("q1", stem="Which? (Choose two.)", qtype="multiple", answer="[0, 1]", options=seven),
    )
    assert main(["check", str(write_content.root)]) == 1
    assert "has 7 options; a multiple-response question has 5 or 6" in capsys.readouterr().out


def test_multiple_response_needs_two_distractors(write_content, capsys):
    bank_with(
        write_content,
        question_yaml(
            "q1", stem="Which? (Choose four.)", qtype="multiple", answer="[0, 1, 2, 3]", options=FIVE
        ),
    )
    assert main(["check", str(write_content.root)]) == 1
    assert "leave at least two distractors" in capsys.readouterr().out


def test_multiple_response_with_six_options_passes(write_content):
    six = (*FIVE, "Do F")
    bank_with(
        write_content,
        question_yaml("q1", stem="Which? (Choose three.)", qtype="multiple", answer="[0, 1, 2]", options=six),
    )
    assert main(["check", str(write_content.root)]) == 0


def test_single_answer_with_five_options_fails(write_content, capsys):
    write_content("cards.yaml", "cards:\n" + card_yaml("a1"))
    write_content("questions.yaml", "questions:\n" + question_yaml("q1", options=FIVE))
    assert main(["check", str(write_content.root)]) == 1
    assert "a 'single' question has exactly four options" in capsys.readouterr().out


# -- linked cards ------------------------------------------------------------------------------------------


def test_question_linking_a_missing_card_fails(write_content, capsys):
    write_content("cards.yaml", "cards:\n" + card_yaml("a1"))
    write_content("questions.yaml", "questions:\n" + question_yaml("q1", cards="a1, gone"))
    assert main(["check", str(write_content.root)]) == 1
    assert "q1: unknown card 'gone'" in capsys.readouterr().out
    write_content("questions.yaml", "questions:\n" + question_yaml("q1", cards="a1"))
    assert main(["check", str(write_content.root)]) == 0


# -- references --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        DOCS,
        "https://aws.amazon.com/blogs/compute/operating-lambda-performance-optimization-part-1/",
        "https://aws.amazon.com/about-aws/whats-new/2023/11/aws-lambda-faster-scaling/",
        "https://aws.amazon.com/lambda/pricing/",
        "https://aws.amazon.com/ecs/faqs/",
        "https://repost.aws/knowledge-center/lambda-function-retry-timeout-sdk",
    ],
)
def test_documentation_blog_and_repost_links_pass(url):
    assert reference_problem(url) is None


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("https://aws.amazon.com/lambda/", "product page"),
        ("https://console.aws.amazon.com/lambda/home", "not an https link"),
        ("http://docs.aws.amazon.com/lambda/latest/dg/welcome.html", "not an https link"),
        ("https://stackoverflow.com/questions/1", "not an https link"),
    ],
)
def test_other_links_fail(url, why):
    assert why in (reference_problem(url) or "")


def test_product_page_reference_fails_check(write_content, capsys):
    bank_with(write_content, question_yaml("q1", url="https://aws.amazon.com/lambda/features/"))
    assert main(["check", str(write_content.root)]) == 1
    assert "is a product page, not documentation" in capsys.readouterr().out


# -- near duplicates ------------------------------------------------------------------------------------

# Two stems the review paired as duplicates (content-review.md section 7, group 1), as written then.
DLQ_A = (
    "A function's prod alias points to published version 12, which was published with a dead-letter "
    "queue named orders-dlq-old. A developer changes the DLQ on $LATEST to orders-dlq-new, but failed "
    "events from production still arrive in orders-dlq-old. What should the developer do so that "
    "production uses the new queue?"
)
DLQ_B = (
    "A security team requires that failed asynchronous events of a payments function go to a new SQS "
    "queue with a restrictive access policy instead of an old queue that many teams can read. A "
    "developer changes the dead-letter queue setting on $LATEST to the new queue. Production invokes "
    "the function through the prod alias, which points to version 12. Failed events still arrive in "
    "the old queue. What should the developer do?"
)
DISTINCT_STEMS = {
    "kinesis": "A Kinesis stream's IteratorAge keeps climbing while the function's error rate stays at "
    "zero. The stream has four shards. Which change lets the function keep up with the stream?",
    "fargate": "A team moves a service to AWS Fargate and needs 3 GB of memory for each task. Which "
    "task size is the smallest that fits?",
    "subnet": "An ECS service on Fargate must run 40 tasks in one subnet. What is the smallest subnet "
    "size that leaves room for a rolling deployment?",
    "scaling": "An ECS service scales on average CPU at 60 %. During a deployment the service does "
    "not scale in. Why does the service keep its extra tasks?",
}


def test_near_duplicate_stems_are_flagged_and_distinct_ones_are_not():
    texts = {"dlq-a": DLQ_A, "dlq-b": DLQ_B, **DISTINCT_STEMS}
    pairs = near_duplicates(texts, STEM_WARN)
    assert [(p.first, p.second) for p in pairs] == [("dlq-a", "dlq-b")]
    assert STEM_WARN <= pairs[0].score < STEM_ERROR  # reworded: a warning, not an error


def test_restated_cards_are_errors_and_cards_with_other_figures_are_not():
    texts = {
        "ecs-limits": "How many subnets and security groups can an awsvpcConfiguration specify? "
        "Up to 16 subnets and up to 5 security groups.",
        "lambda-limits": "How many subnets and security groups can a Lambda function's VPC "
        "configuration list? Up to 16 subnets and up to 5 security groups.",
        "half-vcpu": "Which memory values can a 0.5 vCPU (512 CPU units) Fargate task use? 1 GB to 4 GB, "
        "in 1 GB steps.",
        "one-vcpu": "Which memory values can a 1 vCPU (1024 CPU units) Fargate task use? 2 GB to 8 GB, "
        "in 1 GB steps.",
        "nat": "How long can a connection through a NAT gateway stay idle before it times out? 350 seconds.",
        "tmp": "How much /tmp storage can a Lambda function have? 512 MB to 10,240 MB.",
    }
    pairs = near_duplicates(texts, CARD_WARN)
    assert [(p.first, p.second) for p in pairs] == [("ecs-limits", "lambda-limits")]
    assert pairs[0].score >= CARD_ERROR


def test_near_verbatim_cards_fail_check_and_distinct_cards_pass(write_content, capsys):
    twin = card_yaml("a2").replace("Front of a2?", "Front of a1?").replace("Back of a2.", "Back of a1.")
    write_content("cards.yaml", "cards:\n" + card_yaml("a1") + twin)
    assert main(["check", str(write_content.root)]) == 1
    assert "a1: its front and back are 1.00 similar to a2's" in capsys.readouterr().out
    write_content("cards.yaml", "cards:\n" + card_yaml("a1") + card_yaml("a2"))
    assert main(["check", str(write_content.root)]) == 0


def test_duplicate_check_is_fast_on_a_bank_of_the_target_size():
    words = [f"w{i}" for i in range(2000)]
    texts = {f"c{i}": " ".join(words[(i * 7 + k * 13) % 2000] for k in range(40)) for i in range(330)}
    start = time.perf_counter()
    near_duplicates(texts, CARD_WARN)
    assert time.perf_counter() - start < 0.5


# -- scenarios and the coverage targets ---------------------------------------------------------------------


def test_scenario_rule():
    def q(stem: str) -> Question:
        return Question("q", stem, "single", (), (0,), Domain.DEVELOPMENT, 2, "alpha")

    assert is_scenario(q(SCENARIO.format(tail="Which change stops the errors with the LEAST effort?")))
    assert not is_scenario(q(SCENARIO.format(tail="Which statements about health checks are correct?")))
    assert not is_scenario(q("What is the largest Fargate task size?"))
    assert not is_scenario(q(" ".join(["word"] * 45) + "?"))  # one sentence: no situation


def full_bank(
    write_content,
    *,
    cards: int = 6,
    plan: tuple[int, ...] = (8, 7, 6, 4),
    multiple: int = 5,
    scenario_every: int = 1,
) -> None:
    """A bank whose questions follow ``plan`` per domain (development, security, deployment,
    troubleshooting), ``multiple`` of them multiple-response, alternating topics, no cued option.
    The default meets SMALL; the domain plan of 25 is on the DVA-C02 weights within 3 points."""
    half = cards // 2
    card_text = "".join(card_yaml(f"a{i}") for i in range(cards - half))
    card_text += "".join(card_yaml(f"b{i}", "beta") for i in range(half))
    questions, n = [], 0
    for domain, count in zip(("development", "security", "deployment", "troubleshooting"), plan, strict=True):
        for _ in range(count):
            stem = SCENARIO.format(tail="Which change stops the errors with the LEAST effort?")
            stem = stem if n % scenario_every == 0 else "What is it?"
            topic, card = ("alpha", "a0") if n % 2 else ("beta", "b0")
            if n < multiple:
                text = question_yaml(
                    f"q{n}",
                    stem=stem + " (Choose two.)",
                    qtype="multiple",
                    answer="[0, 1]",
                    options=FIVE,
                    domain=domain,
                    topic=topic,
                    cards=card,
                )
            else:
                options = ("Short A", LONG, "Short C", "Short D")
                text = question_yaml(
                    f"q{n}", stem=stem, options=options, domain=domain, topic=topic, cards=card
                )
            questions.append(text)
            n += 1
    write_content("cards.yaml", "cards:\n" + card_text.replace("notes.one]", "notes.one, notes.two]"))
    text = "questions:\n" + "".join(questions)
    write_content("questions.yaml", text.replace("outline: [notes.one]", "outline: [notes.one, notes.two]"))


SMALL = Targets(cards=6, questions=25, multiple=5, topic_cards=3, topic_questions=3)


def test_a_bank_meeting_the_targets_misses_none(write_content):
    full_bank(write_content)
    bank = load_bank([write_content.root])
    assert bank.ok, bank.problems
    figures = bank_figures(bank)
    assert figures.scenarios == 25 and figures.multiple_scenarios == 5 and figures.cue_rate == 0
    assert figures.domain_share(Domain.DEVELOPMENT) == pytest.approx(0.32)
    assert missed_targets(bank, figures, SMALL) == []


def test_each_missed_target_is_named(write_content):
    full_bank(write_content, scenario_every=2)
    bank = load_bank([write_content.root])
    figures = bank_figures(bank)
    strict = Targets(cards=7, questions=26, multiple=6, topic_cards=4, topic_questions=3, cue_rate=0.0)
    missed = "\n".join(missed_targets(bank, figures, strict))
    assert "6 cards; the target is at least 7" in missed
    assert "25 questions; the target is at least 26" in missed
    assert "52% of questions are scenarios; the target is at least 65%" in missed
    assert "5 multiple-response questions; the target is at least 6" in missed
    assert "topic alpha: 3 cards and 12 questions" in missed
    assert "Security" not in missed  # the domain mix is on the weights


def test_domain_mix_off_the_weights_is_a_miss(write_content):
    full_bank(write_content)
    text = (write_content.root / "questions.yaml").read_text()
    (write_content.root / "questions.yaml").write_text(
        text.replace("domain: security", "domain: development")
    )
    bank = load_bank([write_content.root])
    missed = "\n".join(missed_targets(bank, bank_figures(bank), SMALL))
    assert "Security: 0% of questions against the exam's 26%" in missed
    assert "Development with AWS services: 60%" in missed


def test_coverage_command_exits_1_on_a_missed_target_unless_told(write_content, monkeypatch, capsys):
    full_bank(write_content)
    monkeypatch.setenv("TRAINER_CONTENT_DIR", str(write_content.root))
    assert main(["coverage"]) == 1  # 6 cards, not 320
    out = capsys.readouterr().out
    assert "6 cards; the target is at least 320" in out and "scenarios: 25 of 25 questions (100%" in out
    assert "Security" in out and "26%" in out
    assert main(["coverage", "--no-targets"]) == 0


def test_coverage_json_has_the_bank_figures(write_content, monkeypatch, capsys):
    full_bank(write_content)
    monkeypatch.setenv("TRAINER_CONTENT_DIR", str(write_content.root))
    assert main(["coverage", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["bank"]["scenario_share"] == 1.0 and data["bank"]["multiple"] == 5
    assert data["bank"]["domains"]["security"] == {"questions": 7, "share": 0.28, "weight": 0.26}
    assert any("cards; the target" in m for m in data["missed_targets"])


def test_coverage_command_passes_on_a_bank_of_the_target_size(write_content, monkeypatch, capsys):
    # 320 cards; 260 questions split 83/68/62/47 (32/26/24/18 %), 70 of them multiple-response.
    full_bank(write_content, cards=320, plan=(83, 68, 62, 47), multiple=70)
    monkeypatch.setenv("TRAINER_CONTENT_DIR", str(write_content.root))
    assert main(["coverage"]) == 0
    assert "Every target met." in capsys.readouterr().out


def test_identical_texts_of_common_words_still_meet_in_the_prefilter():
    texts = {f"t{i}": "Which function should the developer use for the service?" for i in range(6)}
    texts["other"] = "A Kinesis stream's IteratorAge climbs while errors stay at zero."
    assert len(near_duplicates(texts, STEM_ERROR)) == 15  # every pair of the six


def test_shortest_option_cue_is_a_warning(write_content):
    def short(qid: str) -> str:
        return question_yaml(qid, options=("Tiny", LONG, LONG + " too", LONG + " also"))

    def middle(qid: str) -> str:
        return question_yaml(qid, options=("A middle-length answer", LONG, "Short C", "Short D"))

    bank = bank_with(write_content, short("q1") + short("q2") + middle("q3") + middle("q4"))
    report = review(bank)
    assert not report.errors
    assert "the correct option is the shortest in 2 of 4" in messages(report.warnings)
    bank = bank_with(write_content, short("q1") + middle("q2") + middle("q3") + middle("q4"))
    assert "the correct option is the shortest in" not in messages(review(bank).warnings)


def test_answers_always_in_the_middle_are_a_warning(write_content):
    def middle(qid: str) -> str:
        return question_yaml(qid, options=("A middle-length answer", LONG, "Short C", "Short D"))

    def longest(qid: str) -> str:
        return question_yaml(qid, options=(LONG, "A middle-length answer", "Short C", "Short D"))

    def shortest(qid: str) -> str:
        return question_yaml(qid, options=("C", LONG, "A middle-length answer", "Short D"))

    # Seven of eight in the middle (88 %): ruling out the longest and the shortest would pay.
    bank = bank_with(write_content, "".join(middle(f"q{i}") for i in range(7)) + longest("q7"))
    report = review(bank)
    assert not report.errors
    assert "neither the longest nor the shortest in 7 of 8" in messages(report.warnings)
    # Half in the middle, a quarter longest, a quarter shortest: what chance gives.
    mixed = "".join(middle(f"q{i}") for i in range(4)) + longest("q4") + longest("q5")
    bank = bank_with(write_content, mixed + shortest("q6") + shortest("q7"))
    assert "neither the longest nor the shortest" not in messages(review(bank).warnings)
    assert middle_rate(bank.questions.values()).rate == 0.5
