"""Screening as the services use it: the rules and the learned layer (``learned.py``), combined as
``learned.screened_urgent`` says. The model's finding of present risk makes a text urgent; so does the
rules', unless the model has read the text and is sure there is none (it scores below its floor:
a recovery story, a memory, someone else's words). The floor is set so low that overruling costs
at most one in a hundred urgent working cases, since a false alarm costs a kind message and a miss
can cost a life. An overruled text is screened sensitive and marked ``overruled``, so that it still
goes before a moderator. The model's reason names the labelled cases its wording is nearest to.

The model costs tens of milliseconds per entry and a few tenths of a second to load, once per process:
call this from a worker thread (``asyncio.to_thread``), never on the event loop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.safety import screening
from shared.safety.screening import Level, Screening

if TYPE_CHECKING:  # numpy and the model load on the first text that needs them, not with every process
    from shared.safety.learned import Learned

MODEL_MIN_WORDS = 6


def screen_text(*texts: str | None, by_supporter: bool = False, learned: Learned | None = None) -> Screening:
    """The rules' screening of everything written in one save, made urgent when the learned layer
    finds present risk, and made sensitive when the rules' urgent is overruled by the model."""
    found = screening.screen_text(*texts, by_supporter=by_supporter)
    written = [t for t in texts if t and t.strip()]
    # One save is one piece of writing (a story's title and body): the model reads it whole, and
    # only when there is enough of it. On a few words it has no context to go on and mistakes the
    # most ordinary victories ("Got out of bed") for risk; the rules alone screen short texts.
    whole = screening.normalize("\n".join(written))
    if len(whole.split()) < MODEL_MIN_WORDS:
        return found
    if learned is None:
        from shared.safety.learned import default_learned  # loaded on first use (see above)

        learned = default_learned()
    verdict = learned.judge(screening.as_first_person(whole) if by_supporter else whole)
    urgent = learned.screens_urgent(rules_urgent=found.urgent, score=verdict.score)
    if found.urgent and not urgent:
        reason = f"learned layer ({verdict.score:.2f}): no present risk, overruling the rules"
        return Screening(
            level=Level.SENSITIVE, warnings=found.warnings, reasons=(*found.reasons, reason), overruled=True
        )
    if found.urgent or not urgent:
        return found
    near = "; ".join(f"“{t}”" for t in verdict.nearest)
    reason = f"learned layer ({verdict.score:.2f}): reads like {near}"
    return Screening(level=Level.URGENT, warnings=found.warnings, reasons=(*found.reasons, reason))
