"""A synthetic national population for benchmarks: `manage.py generate_population`.

Districts, organisations and staff are made first, through the ORM (a few thousand rows).
Then the registry is generated in parts that run in parallel, one process and one
database connection each: a part is a slice of the country's children across every
district (households, their children and adults, placements and carers, disabilities,
referrals in every state with their timelines and timers, FSC cases with assessments and
plans). Each part builds its rows in memory with local numbers, takes its ids from the
tables' sequences in part order (so a seed always gives the same ids), and writes every
table with one `COPY` in one transaction. The open police notices the deadline benchmark
needs are parts of their own. The commission's meetings come last, from the files the
parts submitted to it.

Every row goes through the database's own checks: constraints, foreign keys (checked at
commit), the tables' triggers. The pghistory triggers record each generated row, in a
history context per part that says where it came from.

Modules: `plan` (sizes and the shared world), `organisations` (districts, organisations,
staff), `households` (families and their people), `registry` (children's files, carers,
placements, disabilities), `referrals`, `cases` (the FSC's work), `kdn`, `notices` (the
open police notices), `rows` (tables, ids and COPY), `iins`, `people` (names),
`runner` (the whole run).
"""
