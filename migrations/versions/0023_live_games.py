"""live games: a game per run of a set, its players and their answers

Revision ID: 0023
Revises: 0022
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "live_game",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.Column("pin", sa.String(length=6), nullable=True),
        sa.Column("pacing", sa.String(length=8), nullable=False),
        sa.Column("question_ids", sa.JSON(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("speed_points", sa.Boolean(), nullable=False),
        sa.Column("leaderboard", sa.String(length=9), nullable=False),
        sa.Column("guests", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=9), nullable=False),
        sa.Column("current", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paused_left_ms", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("seconds BETWEEN 5 AND 600", name=op.f("ck_live_game_seconds")),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["user.id"], name=op.f("fk_live_game_owner_id_user"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["set_id"],
            ["question_set.id"],
            name=op.f("fk_live_game_set_id_question_set"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_game")),
        sa.UniqueConstraint("pin", name=op.f("uq_live_game_pin")),
    )
    op.create_index(op.f("ix_live_game_owner_id"), "live_game", ["owner_id"], unique=False)
    op.create_index(op.f("ix_live_game_set_id"), "live_game", ["set_id"], unique=False)
    op.create_table(
        "live_player",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("game_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("nickname", sa.String(length=40), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("shown_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["game_id"],
            ["live_game.id"],
            name=op.f("fk_live_player_game_id_live_game"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_live_player_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_player")),
        sa.UniqueConstraint("game_id", "nickname", name=op.f("uq_live_player_game_id_nickname")),
        sa.UniqueConstraint("game_id", "user_id", name=op.f("uq_live_player_game_id_user_id")),
    )
    op.create_index(op.f("ix_live_player_user_id"), "live_player", ["user_id"], unique=False)
    op.create_table(
        "live_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("game_id", sa.Integer(), nullable=False),
        sa.Column("player_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("response", sa.JSON(), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["game_id"],
            ["live_game.id"],
            name=op.f("fk_live_answer_game_id_live_game"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["player_id"],
            ["live_player.id"],
            name=op.f("fk_live_answer_player_id_live_player"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_live_answer_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_answer")),
        sa.UniqueConstraint(
            "game_id",
            "player_id",
            "question_id",
            name=op.f("uq_live_answer_game_id_player_id_question_id"),
        ),
    )
    op.create_index(
        op.f("ix_live_answer_question_id"), "live_answer", ["question_id"], unique=False
    )


def downgrade():
    op.drop_table("live_answer")
    op.drop_table("live_player")
    op.drop_table("live_game")
