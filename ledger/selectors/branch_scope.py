"""Which branches a count covers (`Branches`), as the ORM's filter (`q`) or as SQL text (`sql`)
for the statements `counting` writes itself."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Lookup, Q


@dataclass(frozen=True)
class Branches:
    """Which branches a count covers: these ids (a page, a chunk), or every branch under a
    unit (`under`: a committee's or the province's batch — one scan filtered by the path
    prefix, as a hand-written statement would, instead of a list of 100,000 ids)."""

    ids: tuple = ()
    under: str | None = None  # a unit's path; "": a root's, so no filter (see `under_unit`)

    @classmethod
    def under_unit(cls, unit) -> "Branches":
        """Every branch under `unit`. Under a root (the province) that is every row: the
        counts then scan each table without joining the tree to test a path (as the
        hand-written statement does); rows of another tree, if there were one, are counted
        and never read — the folds read the branches they are given."""
        return cls(under="" if unit.depth == 1 else unit.path)

    @property
    def none(self) -> bool:
        """No branch asked for: a count of nothing."""
        return self.under is None and not self.ids

    def q(self, field: str = "branch") -> Q:
        if self.under == "":
            return Q()
        if self.under is not None:
            return Q(**{f"{field}__path__startswith": self.under})
        if connection.vendor == "postgresql" and self.ids:
            # one array parameter: the ORM checks each value of an `IN (…)` list one by one
            # (~5 µs an id, a thousand ids a page), and its text grows with the list
            return Q(AnyOf(F(f"{field}_id"), self.ids))
        return Q(**{f"{field}_id__in": self.ids})

    def sql(self, column: str, unit_table: str) -> tuple[str, str, list]:
        """(a JOIN, a WHERE condition, their params) that keep the rows whose `column` (a
        branch id) is one of these branches — the same test as `q` (the ORM joins the tree
        to test a path prefix, as here); `unit_table`: the org units' table. Not for `none`."""
        if self.under == "":
            return "", "1 = 1", []
        if self.under is not None:
            ops = connection.ops
            path = ops.lookup_cast("startswith", "CharField") % "u.path"
            like = connection.operators["startswith"] % "%s"
            return (
                f" INNER JOIN {ops.quote_name(unit_table)} u ON u.id = {column}",
                f"{path} {like}",
                [f"{ops.prep_for_like_query(self.under)}%"],
            )
        if connection.vendor == "postgresql":
            return "", f"{column} = ANY(%s)", [list(self.ids)]
        return "", f"{column} IN ({', '.join(['%s'] * len(self.ids))})", list(self.ids)


class AnyOf(Lookup):
    """`column = ANY(%s)` with the ids as one array parameter (PostgreSQL): what `IN (…)`
    selects (PostgreSQL plans an `IN` list as this very test), without a placeholder and a
    check per id."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        return list(self.rhs)

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, self.rhs)
