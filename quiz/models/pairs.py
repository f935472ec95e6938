"""Give-away pairs: questions of one set that must be kept apart (see quiz.giveaways)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from quiz.models.base import Base


class GiveawayPair(Base):
    """`question_id` must not be asked near `other_id`; each pair is stored both ways round.

    `teller_id` is the question that shows the answer, `answer` what it shows and `field`
    where (prompt, choice, pair, item, text, back); `recorded` marks a pair written down in the
    bank's `giveaways.csv` (one the finder cannot see) rather than found in the text.
    """

    __tablename__ = "giveaway_pair"

    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(
        sa.ForeignKey("question_set.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("question.id", ondelete="CASCADE"))
    other_id: Mapped[int] = mapped_column(sa.ForeignKey("question.id", ondelete="CASCADE"))
    teller_id: Mapped[int] = mapped_column(sa.ForeignKey("question.id", ondelete="CASCADE"))
    answer: Mapped[str] = mapped_column(sa.Text, default="")
    field: Mapped[str] = mapped_column(sa.String(16), default="")
    recorded: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        # The study queue's lookup: the partners of the questions a student just answered.
        sa.Index("ix_giveaway_pair_question_id_other_id", "question_id", "other_id"),
    )
