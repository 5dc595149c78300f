"""Reference data of the sign-off: each chief representative's authorisation (003 授权委托书)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class Authorisation(SQLModel, table=True):
    """What one chief representative may sign for their department, and until when."""

    id: str = Field(primary_key=True)  # "<chief>:<valid_from>"
    chief_id: str = Field(foreign_key="staff.id", index=True)
    department_code: str = Field(foreign_key="department.code")
    final_items: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False, default=list))
    """Items the chief approves with final effect at the window."""
    review_items: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False, default=list))
    """Items the chief only pre-reviews or coordinates: the department decides."""
    valid_from: date
    expires: date
    deputy_id: str | None = Field(default=None, foreign_key="staff.id")
    """Signs under this authorisation while the chief is absent."""
    document: str = ""
    """The 授权委托书 it comes from (its number), shown to the chief."""
