package data

// migrations are SQLite's schema steps, applied in order, each once; PRAGMA
// user_version records how many have run. Append only: an existing database
// has run the earlier ones. pgMigrations (schema_postgres.go) holds
// PostgreSQL's steps: step i there makes the same tables as step i here, so
// add a step to both (TestMigrationsPaired checks).
var migrations = []string{
	// 1: articles and their full-text index.
	`CREATE TABLE articles (
		seq           INTEGER PRIMARY KEY,
		id            TEXT NOT NULL UNIQUE,
		title         TEXT NOT NULL,
		source        TEXT NOT NULL DEFAULT '',
		url           TEXT NOT NULL DEFAULT '',
		canonical_url TEXT NOT NULL DEFAULT '',
		author        TEXT NOT NULL DEFAULT '',
		published     INTEGER NOT NULL DEFAULT 0,
		ingested      INTEGER NOT NULL,
		text_key      TEXT NOT NULL,
		body          TEXT NOT NULL
	);
	CREATE UNIQUE INDEX articles_canonical ON articles(canonical_url) WHERE canonical_url <> '';
	CREATE UNIQUE INDEX articles_text_key ON articles(text_key);
	CREATE INDEX articles_when ON articles(coalesce(nullif(published, 0), ingested));
	CREATE VIRTUAL TABLE articles_fts USING fts5(
		title, body, content='', contentless_delete=1,
		tokenize='porter unicode61 remove_diacritics 2'
	);
	CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,

	// 2: scheduled briefings and the record of every post, and the words
	// autocomplete offers.
	`CREATE TABLE subscriptions (
		id         INTEGER PRIMARY KEY,
		guild_id   TEXT NOT NULL DEFAULT '',
		channel_id TEXT NOT NULL,
		topic      TEXT NOT NULL DEFAULT '',
		spec       TEXT NOT NULL,
		tz         TEXT NOT NULL DEFAULT '',
		created_by TEXT NOT NULL DEFAULT '',
		from_env   INTEGER NOT NULL DEFAULT 0,
		created    INTEGER NOT NULL
	);
	CREATE TABLE posts (
		subscription_id INTEGER NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
		slot       INTEGER NOT NULL,
		status     TEXT NOT NULL,
		message_id TEXT NOT NULL DEFAULT '',
		said       TEXT NOT NULL DEFAULT '[]',
		error      TEXT NOT NULL DEFAULT '',
		attempts   INTEGER NOT NULL DEFAULT 0,
		updated    INTEGER NOT NULL,
		PRIMARY KEY (subscription_id, slot)
	);
	CREATE TABLE terms (
		term    TEXT PRIMARY KEY,
		display TEXT NOT NULL,
		n       INTEGER NOT NULL
	) WITHOUT ROWID;
	CREATE INDEX terms_n ON terms(n DESC);`,

	// 3: followed feeds with their polling state, and the items each feed has
	// already delivered (by GUID and by canonical link), so a re-published
	// or re-dated item is not fetched or stored twice.
	`CREATE TABLE feeds (
		id            INTEGER PRIMARY KEY,
		url           TEXT NOT NULL,
		canonical_url TEXT NOT NULL UNIQUE,
		title         TEXT NOT NULL DEFAULT '',
		site_name     TEXT NOT NULL DEFAULT '',
		added_by      TEXT NOT NULL DEFAULT '',
		from_env      INTEGER NOT NULL DEFAULT 0,
		etag          TEXT NOT NULL DEFAULT '',
		last_modified TEXT NOT NULL DEFAULT '',
		last_success  INTEGER NOT NULL DEFAULT 0,
		last_error    TEXT NOT NULL DEFAULT '',
		last_error_at INTEGER NOT NULL DEFAULT 0,
		failures      INTEGER NOT NULL DEFAULT 0,
		next_poll     INTEGER NOT NULL DEFAULT 0,
		warned        INTEGER NOT NULL DEFAULT 0,
		created       INTEGER NOT NULL
	);
	CREATE INDEX feeds_next_poll ON feeds(next_poll);
	CREATE TABLE feed_items (
		feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
		key     TEXT NOT NULL,
		seen    INTEGER NOT NULL,
		PRIMARY KEY (feed_id, key)
	) WITHOUT ROWID;`,
	// 4: the key of a name's later word separates it from the name with
	// \x1f instead of NUL, which PostgreSQL text cannot hold. (SQLite's
	// string functions stop at a NUL, hence the blobs.)
	`UPDATE terms SET term =
		CAST(substr(CAST(term AS BLOB), 1, instr(CAST(term AS BLOB), x'00') - 1) AS TEXT) || char(31) ||
		CAST(substr(CAST(term AS BLOB), instr(CAST(term AS BLOB), x'00') + 1) AS TEXT)
	WHERE instr(CAST(term AS BLOB), x'00') > 0;`,

	// 5: tenancy. Articles are shared (the owner's sources) or seen only by
	// the servers whose feeds brought them; feeds are followed by servers;
	// schedules and follows carry a per-server number that is never reused;
	// each server has its settings and its own autocomplete words; each
	// schedule its filters. Existing articles stay shared and existing
	// schedules keep their numbers; existing feeds are given to servers
	// when the bot next starts (Store.AdoptLegacyFeeds).
	`ALTER TABLE articles ADD COLUMN shared INTEGER NOT NULL DEFAULT 1;
	CREATE TABLE article_guilds (
		guild_id TEXT NOT NULL,
		seq      INTEGER NOT NULL REFERENCES articles(seq) ON DELETE CASCADE,
		PRIMARY KEY (guild_id, seq)
	) WITHOUT ROWID;
	CREATE INDEX article_guilds_seq ON article_guilds(seq);
	ALTER TABLE feed_items ADD COLUMN article_seq INTEGER NOT NULL DEFAULT 0;
	CREATE TABLE feed_follows (
		feed_id  INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
		guild_id TEXT NOT NULL,
		no       INTEGER NOT NULL,
		added_by TEXT NOT NULL DEFAULT '',
		created  INTEGER NOT NULL,
		PRIMARY KEY (feed_id, guild_id),
		UNIQUE (guild_id, no)
	);
	CREATE TABLE guild_counters (
		guild_id TEXT NOT NULL,
		name     TEXT NOT NULL,
		last     INTEGER NOT NULL,
		PRIMARY KEY (guild_id, name)
	);
	ALTER TABLE subscriptions ADD COLUMN no INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE subscriptions ADD COLUMN include_words TEXT NOT NULL DEFAULT '';
	ALTER TABLE subscriptions ADD COLUMN exclude_words TEXT NOT NULL DEFAULT '';
	ALTER TABLE subscriptions ADD COLUMN allow_outlets TEXT NOT NULL DEFAULT '';
	ALTER TABLE subscriptions ADD COLUMN block_outlets TEXT NOT NULL DEFAULT '';
	UPDATE subscriptions SET no = id WHERE from_env = 0;
	INSERT INTO guild_counters (guild_id, name, last)
		SELECT guild_id, 'schedule', max(no) FROM subscriptions WHERE from_env = 0 GROUP BY guild_id;
	CREATE TABLE guild_settings (
		guild_id       TEXT PRIMARY KEY,
		tz             TEXT NOT NULL DEFAULT '',
		notice_channel TEXT NOT NULL DEFAULT '',
		nothing_new    INTEGER NOT NULL DEFAULT 0,
		brief_length   TEXT NOT NULL DEFAULT '',
		updated        INTEGER NOT NULL
	);
	CREATE TABLE guild_terms (
		guild_id TEXT NOT NULL,
		term     TEXT NOT NULL,
		display  TEXT NOT NULL,
		n        INTEGER NOT NULL,
		PRIMARY KEY (guild_id, term)
	) WITHOUT ROWID;`,

	// 6: counters kept by triggers, so /status and the no-match answer never
	// scan the articles (a full count was 0.37 s at 100k articles): the
	// number of articles and of shared ones, and each outlet's. Triggers
	// rather than code in Add, so every path that deletes articles or
	// shares one (pruning, a feed's article found by the owner) keeps them
	// true.
	`CREATE TABLE counters (name TEXT PRIMARY KEY, n INTEGER NOT NULL);
	CREATE TABLE outlets (source TEXT PRIMARY KEY, articles INTEGER NOT NULL, shared INTEGER NOT NULL);
	INSERT INTO counters (name, n) SELECT 'articles', count(*) FROM articles;
	INSERT INTO counters (name, n) SELECT 'shared', count(*) FROM articles WHERE shared = 1;
	INSERT INTO outlets (source, articles, shared) SELECT source, count(*), sum(shared) FROM articles GROUP BY source;
	CREATE TRIGGER articles_counted AFTER INSERT ON articles BEGIN
		UPDATE counters SET n = n + 1 WHERE name = 'articles';
		UPDATE counters SET n = n + new.shared WHERE name = 'shared';
		INSERT INTO outlets (source, articles, shared) VALUES (new.source, 1, new.shared)
			ON CONFLICT (source) DO UPDATE SET articles = articles + 1, shared = shared + excluded.shared;
	END;
	CREATE TRIGGER articles_uncounted AFTER DELETE ON articles BEGIN
		UPDATE counters SET n = n - 1 WHERE name = 'articles';
		UPDATE counters SET n = n - old.shared WHERE name = 'shared';
		UPDATE outlets SET articles = articles - 1, shared = shared - old.shared WHERE source = old.source;
	END;
	CREATE TRIGGER articles_recounted AFTER UPDATE OF shared, source ON articles BEGIN
		UPDATE counters SET n = n + new.shared - old.shared WHERE name = 'shared';
		UPDATE outlets SET articles = articles - 1, shared = shared - old.shared WHERE source = old.source;
		INSERT INTO outlets (source, articles, shared) VALUES (new.source, 1, new.shared)
			ON CONFLICT (source) DO UPDATE SET articles = articles + 1, shared = shared + excluded.shared;
	END;`,

	// 7: the full-text index gains the focus column (see searchindex.go).
	// FTS5 tables cannot be altered and this one keeps no text, so it is
	// made anew and refilled from the articles by reindex after migrating.
	`DROP TABLE articles_fts;
	CREATE VIRTUAL TABLE articles_fts USING fts5(
		title, body, focus, content='', contentless_delete=1,
		tokenize='porter unicode61 remove_diacritics 2'
	);
	INSERT INTO meta (key, value) VALUES ('reindex', '1')
		ON CONFLICT (key) DO UPDATE SET value = excluded.value;`,

	// 8: the delivery log (see delivery.go): each slot's lease, deadline,
	// next try, and the message frozen at its first send. Slots left pending
	// or failed by an earlier briefbot were never retried and carry no
	// message to look for: they are closed as abandoned.
	`ALTER TABLE posts ADD COLUMN deadline INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE posts ADD COLUMN next_try INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE posts ADD COLUMN lease_owner TEXT NOT NULL DEFAULT '';
	ALTER TABLE posts ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE posts ADD COLUMN body TEXT NOT NULL DEFAULT '';
	ALTER TABLE posts ADD COLUMN sending_since INTEGER NOT NULL DEFAULT 0;
	UPDATE posts SET status = 'abandoned',
		error = CASE WHEN error = '' THEN 'interrupted before the delivery log existed' ELSE error END
		WHERE status IN ('pending', 'failed');
	CREATE INDEX posts_open ON posts(status, next_try);`,

	// 9: stories, grouped at ingest (storygroup.go): each article's analysis
	// (briefing.Analysis, compressed JSON until step 13's binary form, so a
	// briefing never cleans text again), its story, and per story its profile, span, coverage and
	// outlets; the corpus's document frequencies as a snapshot and the
	// batches' changes since. Existing articles are grouped by regroup after
	// migrating.
	`CREATE TABLE analyses (
		seq     INTEGER PRIMARY KEY REFERENCES articles(seq) ON DELETE CASCADE,
		version INTEGER NOT NULL,
		data    BLOB NOT NULL
	);
	CREATE TABLE stories (
		id          INTEGER PRIMARY KEY,
		headline    TEXT NOT NULL DEFAULT '',
		first_seen  INTEGER NOT NULL DEFAULT 0,
		last_update INTEGER NOT NULL DEFAULT 0,
		ingested    INTEGER NOT NULL DEFAULT 0,
		reports     INTEGER NOT NULL DEFAULT 0,
		outlets     INTEGER NOT NULL DEFAULT 0,
		profile     BLOB NOT NULL
	);
	CREATE INDEX stories_last_update ON stories(last_update);
	CREATE INDEX stories_ingested ON stories(ingested);
	CREATE TABLE story_outlets (
		story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
		source   TEXT NOT NULL,
		articles INTEGER NOT NULL,
		PRIMARY KEY (story_id, source)
	) WITHOUT ROWID;
	ALTER TABLE articles ADD COLUMN story_id INTEGER NOT NULL DEFAULT 0;
	CREATE INDEX articles_story ON articles(story_id);
	CREATE TABLE doc_freq (
		id   INTEGER PRIMARY KEY,
		docs INTEGER NOT NULL,
		data BLOB NOT NULL
	);
	INSERT INTO meta (key, value) VALUES ('regroup', '1')
		ON CONFLICT (key) DO UPDATE SET value = excluded.value;`,

	// 10: story alerts (alerts.go): a subscription's kind ('' a scheduled
	// briefing, 'alert') and how many outlets a story must reach.
	`ALTER TABLE subscriptions ADD COLUMN kind TEXT NOT NULL DEFAULT '';
	ALTER TABLE subscriptions ADD COLUMN threshold INTEGER NOT NULL DEFAULT 0;`,

	// 11: article_guilds holds only articles no one shares (a shared
	// article's servers no longer own it, see grant), and each one's
	// outlet, so /status and the no-match answer count a server's own
	// articles and outlets from that table alone, never reading an
	// article's row past its long text to its shared column.
	`DELETE FROM article_guilds WHERE seq IN (SELECT seq FROM articles WHERE shared = 1);
	ALTER TABLE article_guilds ADD COLUMN source TEXT NOT NULL DEFAULT '';
	UPDATE article_guilds SET source = (SELECT a.source FROM articles a WHERE a.seq = article_guilds.seq);`,

	// 12: copies (copies.go): a report whose text the store already holds,
	// from another link (a wire report another outlet carries, a re-send),
	// is not stored again but kept as a copy of the stored one, so the
	// story cites it among its sources. guild_id is the server whose own
	// feed brought it ('' the owner's, everyone's to read).
	`CREATE TABLE article_copies (
		seq       INTEGER NOT NULL REFERENCES articles(seq) ON DELETE CASCADE,
		url       TEXT NOT NULL,
		guild_id  TEXT NOT NULL DEFAULT '',
		title     TEXT NOT NULL DEFAULT '',
		source    TEXT NOT NULL DEFAULT '',
		published INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (seq, url, guild_id)
	) WITHOUT ROWID;`,

	// 13: analyses stored as compressed JSON are rewritten in the binary
	// form (analysiscodec.go) by recode after migrating; the key's value
	// is the seq it has rewritten up to.
	`INSERT INTO meta (key, value) VALUES ('recode', '0')
		ON CONFLICT (key) DO UPDATE SET value = excluded.value;`,

	// 14: what /brief reads of many articles is read from covering
	// indexes, not from the articles' rows. A row holds the article's text
	// inline (about 1.4 KB at 300k), so each row read is a random page
	// read of its own: a story's 1,200 reports cost 1,200 pages, where its
	// entries in articles_story_reports, in the order StoryReports reads
	// them (newest first), fill about 40. articles_seq_meta is what a
	// search reads of each of its candidates (time, visibility, story, ID).
	// articles_story_reports replaces articles_story, whose queries it
	// serves, so an article still costs one story-index entry to store.
	`DROP INDEX articles_story;
	CREATE INDEX articles_story_reports ON articles(story_id, coalesce(nullif(published, 0), ingested), seq,
		id, title, source, url, author, published, ingested, shared);
	CREATE INDEX articles_seq_meta ON articles(seq, published, ingested, shared, story_id, id);`,

	// 15: the full-text index keeps a whole ingest batch's new entries in
	// memory until the commit writes them as one segment. FTS5 writes its
	// in-memory entries out whenever they pass 'hashsize' (1 MB by
	// default), and a batch of a thousand articles holds a few MB: each
	// batch became several small segments, which automerge then merged
	// again and again. At 32 MB (a bound, not an allocation: a feed's
	// batch of a few articles holds a few KB) a batch is one segment. At
	// 100k stored articles, per 10,000 articles ingested, writing the new
	// entries out and merging segments (fts5FlushOneHash, automerge
	// included) took 0.71-0.81 s of CPU, 0.37-0.64 s with this (automerge
	// alone 0.56-0.62 s -> 0.21-0.48 s; three CPU profiles of
	// BenchmarkIngestAt each). The FTS5 work as a whole, 1.07-1.32 s ->
	// 0.89-1.25 s, is a tenth of the writer's. Fewer segments also leave a
	// query fewer to read.
	// https://www.sqlite.org/fts5.html#the_hashsize_configuration_option
	`INSERT INTO articles_fts (articles_fts, rank) VALUES ('hashsize', 33554432);`,

	// 16: a bulk ingest's autocomplete counts, batch by batch, until they
	// are added to the terms table together (see suggest_deltas.go).
	`CREATE TABLE term_deltas (
		id   INTEGER PRIMARY KEY,
		data BLOB NOT NULL
	);`,
}
