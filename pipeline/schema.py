"""The DuckDB schema, in one place, as ordered migrations.

Layers, as in dbt projects:
- raw:   `raw_items` — every distinct version of every item as scraped, with its crawl run;
- clean: `jobs`, `job_sources`, `job_skills`, `skills`, `crawl_runs`, `crawl_source_runs`;
- views: `open_jobs`, `skill_demand` — what people query.

A database records the migrations applied to it in `schema_version`; `migrate()` applies the
missing ones in order, each in its own transaction, so an older file upgrades in place."""

from __future__ import annotations

import duckdb

MIGRATIONS: list[str] = [
    # 1: the foundation schema
    """
    CREATE TABLE crawl_runs (
        run_id        VARCHAR PRIMARY KEY,
        started_at    TIMESTAMP NOT NULL,
        finished_at   TIMESTAMP,
        status        VARCHAR NOT NULL,          -- running | ok | partial | failed
        sources       INTEGER,
        items         INTEGER,
        new_jobs      INTEGER,
        updated_jobs  INTEGER,
        closed_jobs   INTEGER,
        note          VARCHAR
    );
    CREATE TABLE crawl_source_runs (
        run_id        VARCHAR NOT NULL,
        source        VARCHAR NOT NULL,          -- e.g. greenhouse:northwind
        spider        VARCHAR NOT NULL,
        status        VARCHAR NOT NULL,          -- ok | empty | failed
        items         INTEGER NOT NULL DEFAULT 0,
        dropped       INTEGER NOT NULL DEFAULT 0,
        duplicates    INTEGER NOT NULL DEFAULT 0,
        missing_salary      DOUBLE,              -- share of items without it, 0-1
        missing_location    DOUBLE,
        missing_description DOUBLE,
        error         VARCHAR,
        stats         JSON,
        PRIMARY KEY (run_id, source)
    );
    CREATE TABLE raw_items (
        source        VARCHAR NOT NULL,
        source_id     VARCHAR NOT NULL,
        content_hash  VARCHAR NOT NULL,          -- one row per distinct version of an item
        run_id        VARCHAR NOT NULL,          -- the run that first saw this version
        scraped_at    TIMESTAMP NOT NULL,
        item          JSON NOT NULL,
        PRIMARY KEY (source, source_id, content_hash)
    );
    CREATE TABLE jobs (
        id                 VARCHAR PRIMARY KEY,  -- stable key, see pipeline/load.py
        source             VARCHAR NOT NULL,     -- where we first saw it
        source_id          VARCHAR NOT NULL,
        url                VARCHAR NOT NULL,
        title              VARCHAR NOT NULL,
        company            VARCHAR,
        location           VARCHAR,
        country            VARCHAR,              -- ISO 3166-1 alpha-2
        remote             VARCHAR,              -- remote | hybrid | onsite
        employment_type    VARCHAR,              -- full_time | part_time | contract | ...
        salary_min         DOUBLE,
        salary_max         DOUBLE,
        salary_currency    VARCHAR,              -- ISO 4217
        salary_period      VARCHAR,              -- year | month | week | day | hour
        salary_annual_min  DOUBLE,
        salary_annual_max  DOUBLE,
        posted_at          TIMESTAMP,
        valid_through      TIMESTAMP,
        department         VARCHAR,
        description        VARCHAR,
        fingerprint        VARCHAR NOT NULL,     -- company|title|city, to merge cross-posts
        content_hash       VARCHAR NOT NULL,
        first_seen         TIMESTAMP NOT NULL,
        last_seen          TIMESTAMP NOT NULL,
        changed_at         TIMESTAMP,            -- last time the ad's content changed
        closed_at          TIMESTAMP,            -- set when a crawl no longer finds it
        CHECK (remote IS NULL OR remote IN ('remote', 'hybrid', 'onsite')),
        CHECK (salary_min IS NULL OR salary_max IS NULL OR salary_min <= salary_max)
    );
    CREATE INDEX jobs_fingerprint ON jobs (fingerprint);
    CREATE TABLE job_sources (
        source        VARCHAR NOT NULL,
        source_id     VARCHAR NOT NULL,
        job_id        VARCHAR NOT NULL,
        url           VARCHAR NOT NULL,
        origin        VARCHAR NOT NULL,          -- the configured source, e.g. greenhouse:acme
        first_seen    TIMESTAMP NOT NULL,
        last_seen     TIMESTAMP NOT NULL,
        gone_at       TIMESTAMP,                 -- when that source stopped listing it
        PRIMARY KEY (source, source_id)
    );
    CREATE TABLE job_skills (
        job_id        VARCHAR NOT NULL,
        skill         VARCHAR NOT NULL,          -- canonical name from the taxonomy
        category      VARCHAR NOT NULL,
        required      BOOLEAN NOT NULL,          -- false: nice-to-have
        years         INTEGER,                   -- years of experience asked, if any
        mentions      INTEGER NOT NULL,
        PRIMARY KEY (job_id, skill)
    );
    CREATE VIEW open_jobs AS SELECT * FROM jobs WHERE closed_at IS NULL;
    CREATE VIEW skill_demand AS
        SELECT s.skill, any_value(s.category) AS category,
               count(*) AS jobs,
               count(*) FILTER (WHERE s.required) AS required_in,
               round(median(j.salary_annual_max), 0) AS median_salary_max
        FROM job_skills s JOIN open_jobs j ON j.id = s.job_id
        GROUP BY s.skill;
    """,
    # 2: role families, the taxonomy in the store, trend snapshots, saved rankings
    """
    ALTER TABLE jobs ADD COLUMN role_family VARCHAR;
    CREATE TABLE skills (
        name          VARCHAR PRIMARY KEY,
        category      VARCHAR NOT NULL,
        aliases       VARCHAR[] NOT NULL,
        parent        VARCHAR,
        related       VARCHAR[] NOT NULL,
        sources       VARCHAR[] NOT NULL
    );
    CREATE TABLE skill_snapshots (
        run_id        VARCHAR NOT NULL,
        taken_at      TIMESTAMP NOT NULL,
        skill         VARCHAR NOT NULL,
        role_family   VARCHAR NOT NULL,          -- '*' for all families together
        country       VARCHAR NOT NULL,          -- '*' for all countries together
        open_jobs     INTEGER NOT NULL,          -- open jobs asking for the skill
        required_in   INTEGER NOT NULL,
        total_jobs    INTEGER NOT NULL,          -- open jobs in that family/country
        PRIMARY KEY (run_id, skill, role_family, country)
    );
    CREATE TABLE matches (
        profile       VARCHAR NOT NULL,          -- the profile's name (or file name)
        job_id        VARCHAR NOT NULL,
        score         DOUBLE NOT NULL,
        rank          INTEGER NOT NULL,
        matched       VARCHAR[] NOT NULL,
        missing       VARCHAR[] NOT NULL,
        ranked_at     TIMESTAMP NOT NULL,
        PRIMARY KEY (profile, job_id)
    );
    CREATE OR REPLACE VIEW open_jobs AS SELECT * FROM jobs WHERE closed_at IS NULL;
    """,
    # 3: Parquet files written by crawl workers, once each
    """
    CREATE TABLE ingested_files (
        path          VARCHAR PRIMARY KEY,       -- relative to the folder ingested
        run_id        VARCHAR NOT NULL,
        source        VARCHAR NOT NULL,
        crawled_at    TIMESTAMP NOT NULL,
        items         INTEGER NOT NULL,
        ingested_at   TIMESTAMP NOT NULL
    );
    """,
    # 4: URLs compared without tracking parameters, to merge reposts of one ad
    """
    ALTER TABLE job_sources ADD COLUMN canonical_url VARCHAR;
    UPDATE job_sources SET canonical_url = lower(regexp_replace(regexp_replace(url, '[?#].*$', ''),
                                                               '^https?://(www[.])?', ''));
    CREATE INDEX job_sources_canonical_url ON job_sources (canonical_url);
    """,
    # 5: ranking weights stored after each load (they depend on all jobs, not on a profile)
    """
    CREATE TABLE skill_weights (
        skill         VARCHAR PRIMARY KEY,
        idf           DOUBLE NOT NULL            -- 1 + ln(open jobs / open jobs asking for it)
    );
    CREATE TABLE job_weights (
        job_id        VARCHAR PRIMARY KEY,
        total_weight  DOUBLE NOT NULL            -- the score's denominator, see pipeline/match.py
    );
    CREATE TABLE weights_state (
        stamp         VARCHAR NOT NULL,          -- what the weights were computed from
        refreshed_at  TIMESTAMP NOT NULL
    );
    """,
    # 6: skill_demand's pay per currency: one median over pounds, dollars and euros meant nothing.
    # median_salary_max is now the median in `salary_currency`, the currency most of the skill's
    # paid jobs use; median_salary_by_currency holds every currency's median.
    """
    CREATE OR REPLACE VIEW skill_demand AS
    WITH asks AS (
        SELECT s.skill, s.category, s.required, j.salary_annual_max AS pay, j.salary_currency AS currency
        FROM job_skills s JOIN open_jobs j ON j.id = s.job_id
    ),
    pay AS (
        SELECT skill, currency, count(*) AS paid, round(median(pay), 0) AS median_pay
        FROM asks WHERE pay IS NOT NULL AND currency IS NOT NULL GROUP BY skill, currency
    ),
    by_currency AS (
        SELECT skill, arg_max(currency, (paid, currency)) AS salary_currency,
               arg_max(median_pay, (paid, currency)) AS median_salary_max,
               map_from_entries(list((currency, median_pay) ORDER BY currency)) AS median_salary_by_currency
        FROM pay GROUP BY skill
    )
    SELECT a.skill, any_value(a.category) AS category, count(*) AS jobs,
           count(*) FILTER (WHERE a.required) AS required_in,
           any_value(c.median_salary_max) AS median_salary_max,
           any_value(c.salary_currency) AS salary_currency,
           any_value(c.median_salary_by_currency) AS median_salary_by_currency
    FROM asks a LEFT JOIN by_currency c USING (skill)
    GROUP BY a.skill;
    """,
    # 7: what each source's load changed (so a run's totals are the sum of its sources, and
    # loading a run again cannot overwrite them), and who runs a crawl (to close stale ones)
    """
    ALTER TABLE crawl_source_runs ADD COLUMN loaded INTEGER;       -- items kept and stored
    ALTER TABLE crawl_source_runs ADD COLUMN new_jobs INTEGER;
    ALTER TABLE crawl_source_runs ADD COLUMN updated_jobs INTEGER;
    ALTER TABLE crawl_source_runs ADD COLUMN closed_jobs INTEGER;
    ALTER TABLE crawl_runs ADD COLUMN owner VARCHAR;
    """,
    # 8: ads known only by a snippet (job-search APIs), and API rate limits in crawl health
    """
    ALTER TABLE jobs ADD COLUMN description_truncated BOOLEAN;  -- true: skills may be missing
    ALTER TABLE crawl_source_runs ADD COLUMN truncated_description DOUBLE;  -- share of items, 0-1
    ALTER TABLE crawl_source_runs ADD COLUMN rate_limited INTEGER;  -- requests refused for the rate
    CREATE OR REPLACE VIEW open_jobs AS SELECT * FROM jobs WHERE closed_at IS NULL;
    """,
    # 9: ranking weights per (job, skill), with whether the title names the skill, and each
    # job's seniority read from its title (all recomputed after the next load)
    """
    DROP TABLE job_weights;
    CREATE TABLE job_weights (
        job_id        VARCHAR PRIMARY KEY,
        total_weight  DOUBLE NOT NULL,           -- the score's denominator, see pipeline/match.py
        level         INTEGER NOT NULL,          -- 0 entry … 4 head of, see pipeline/fit.py
        core_skills   INTEGER NOT NULL           -- required skills the job title names
    );
    CREATE TABLE job_skill_weights (
        job_id        VARCHAR NOT NULL,
        skill         VARCHAR NOT NULL,
        required      BOOLEAN NOT NULL,
        years         INTEGER,
        in_title      BOOLEAN NOT NULL,          -- the job title names the skill
        weight        DOUBLE NOT NULL,
        PRIMARY KEY (job_id, skill)
    );
    DELETE FROM weights_state;
    """,
    # 10: application tracking (`skillscout status`, the web app): every change a person makes
    # to a job's status is a row, so the dates of each step are kept; `applications` is the
    # latest row per (profile, job). Keyed by the job's stable id, never deleted with a job,
    # so statuses survive re-crawls, cross-posted ads merged into one job, and closing.
    """
    CREATE TABLE application_events (
        profile       VARCHAR NOT NULL,          -- the profile's name (or file name), as in `matches`
        job_id        VARCHAR NOT NULL,
        status        VARCHAR NOT NULL,          -- see pipeline/status.py; 'none' clears it
        note          VARCHAR,
        set_at        TIMESTAMP NOT NULL,
        seq           BIGINT NOT NULL,           -- order of changes made within one timestamp
        PRIMARY KEY (profile, job_id, seq),
        CHECK (status IN ('saved', 'applied', 'interviewing', 'offer', 'rejected', 'hidden', 'none')),
        CHECK (note IS NULL OR length(note) <= 2000)
    );
    CREATE VIEW applications AS
        SELECT profile, job_id, arg_max(status, seq) AS status, arg_max(note, seq) AS note,
               min(set_at) AS first_set, max(set_at) AS updated_at
        FROM application_events GROUP BY profile, job_id
        HAVING arg_max(status, seq) <> 'none';
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    con.execute("CREATE TABLE IF NOT EXISTS schema_version "
                "(version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)")
    return _stored_version(con)


def current_version_read_only(con: duckdb.DuckDBPyConnection) -> int:
    """The version of a file opened read-only (0 when it has no schema_version yet)."""
    exists = con.execute("SELECT count(*) FROM information_schema.tables "
                         "WHERE table_name = 'schema_version'").fetchall()[0][0]
    return _stored_version(con) if exists else 0


def _stored_version(con: duckdb.DuckDBPyConnection) -> int:
    # fetchall, not fetchone: DuckDB 2 keeps a half-read result open and refuses other work.
    (version,), = con.execute("SELECT max(version) FROM schema_version").fetchall()
    return int(version or 0)


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Bring the database up to SCHEMA_VERSION; returns the number of migrations applied."""
    from pipeline.db import transaction  # db imports this module to migrate on open

    applied = 0
    for version in range(current_version(con) + 1, SCHEMA_VERSION + 1):
        with transaction(con):
            con.execute(MIGRATIONS[version - 1])
            con.execute("INSERT INTO schema_version VALUES (?, now())", [version])
        applied += 1
    return applied
