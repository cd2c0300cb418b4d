package io.tritonwatch.history;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The history in one SQLite file. Write-ahead logging with normal sync: a daemon killed in the
 * middle of a write loses at most that start-up, never the file (SQLite's own guarantee; the
 * tests kill one to check). The only code that speaks SQL.
 */
public final class SqliteStore implements HistoryStore {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Double>> NUMBERS = new TypeReference<>() {};
  private final Connection db;

  private SqliteStore(Connection db) {
    this.db = db;
  }

  /** Opens (or creates) the store; a file that is not a store, or cannot be written, is an error here. */
  public static SqliteStore open(Path file, boolean readOnly) throws SQLException {
    org.sqlite.SQLiteConfig cfg = new org.sqlite.SQLiteConfig();
    cfg.setReadOnly(readOnly);
    cfg.setBusyTimeout(5000);
    if (!readOnly) {
      cfg.setJournalMode(org.sqlite.SQLiteConfig.JournalMode.WAL);
      cfg.setSynchronous(org.sqlite.SQLiteConfig.SynchronousMode.NORMAL);
    }
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), cfg.toProperties());
    try (Statement st = c.createStatement()) {
      if (!readOnly) {
        st.executeUpdate("CREATE TABLE IF NOT EXISTS startups ("
            + " id INTEGER PRIMARY KEY, identity TEXT NOT NULL, image TEXT NOT NULL, models TEXT NOT NULL,"
            + " host TEXT NOT NULL, container TEXT NOT NULL, outcome TEXT NOT NULL, start_ms INTEGER NOT NULL,"
            + " startup_seconds REAL, stages TEXT NOT NULL, figures TEXT NOT NULL,"
            + " UNIQUE (identity, host, container, start_ms))");
        st.executeUpdate("CREATE INDEX IF NOT EXISTS startups_by_identity ON startups (identity, id)");
      }
      try (ResultSet r = st.executeQuery("SELECT count(*) FROM startups")) {
        r.next(); // a file that is not a store of ours fails here, at open, not at the first write
      }
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return new SqliteStore(c);
  }

  @Override
  public List<StartupRecord> load() throws SQLException {
    List<StartupRecord> out = new ArrayList<>();
    try (Statement st = db.createStatement();
         ResultSet r = st.executeQuery("SELECT image, models, host, container, outcome, start_ms, startup_seconds,"
             + " stages, figures FROM startups ORDER BY id")) {
      while (r.next()) {
        double startup = r.getDouble(7);
        out.add(new StartupRecord(r.getString(1), r.getString(2).isEmpty() ? List.of()
            : Arrays.asList(r.getString(2).split(",")), r.getString(3), r.getString(4), r.getString(5),
            Instant.ofEpochMilli(r.getLong(6)), r.wasNull() ? null : startup, numbers(r.getString(8)),
            numbers(r.getString(9))));
      }
    }
    return out;
  }

  private static Map<String, Double> numbers(String json) throws SQLException {
    try {
      return JSON.readValue(json, NUMBERS);
    } catch (java.io.IOException e) {
      throw new SQLException("a stored start-up is not readable: " + e.getMessage(), e);
    }
  }

  @Override
  public void append(StartupRecord rec, int keep) throws SQLException {
    boolean auto = db.getAutoCommit();
    db.setAutoCommit(false);
    try (PreparedStatement ins = db.prepareStatement("INSERT OR IGNORE INTO startups (identity, image, models, host,"
        + " container, outcome, start_ms, startup_seconds, stages, figures) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
         PreparedStatement prune = db.prepareStatement("DELETE FROM startups WHERE identity = ? AND id NOT IN"
             + " (SELECT id FROM startups WHERE identity = ? ORDER BY id DESC LIMIT ?)")) {
      ins.setString(1, rec.identity());
      ins.setString(2, rec.image() == null ? "" : rec.image());
      ins.setString(3, String.join(",", rec.models()));
      ins.setString(4, rec.host());
      ins.setString(5, rec.container());
      ins.setString(6, rec.outcome());
      ins.setLong(7, rec.start().toEpochMilli());
      if (rec.startupSeconds() == null) {
        ins.setNull(8, java.sql.Types.REAL);
      } else {
        ins.setDouble(8, rec.startupSeconds());
      }
      ins.setString(9, JSON.writeValueAsString(rec.stageSeconds()));
      ins.setString(10, JSON.writeValueAsString(rec.figures()));
      ins.executeUpdate();
      prune.setString(1, rec.identity());
      prune.setString(2, rec.identity());
      prune.setInt(3, keep);
      prune.executeUpdate();
      db.commit();
    } catch (SQLException | java.io.IOException e) {
      db.rollback();
      throw e instanceof SQLException s ? s : new SQLException(e);
    } finally {
      db.setAutoCommit(auto);
    }
  }

  /** Every start-up kept in a store file, opened read-only (analyze --history). */
  public static List<StartupRecord> read(Path file) throws java.io.IOException {
    if (!java.nio.file.Files.isRegularFile(file)) {
      throw new java.io.IOException("no such file");
    }
    try (SqliteStore s = open(file, true)) {
      return s.load();
    } catch (SQLException e) {
      throw new java.io.IOException(e.getMessage(), e);
    }
  }

  /** SQLite's own check of the file: "ok" when whole. */
  public String integrity() throws SQLException {
    try (Statement st = db.createStatement(); ResultSet r = st.executeQuery("PRAGMA integrity_check")) {
      return r.next() ? r.getString(1) : "no answer";
    }
  }

  @Override
  public void close() {
    try {
      db.close();
    } catch (SQLException ignored) {
      // closing anyway
    }
  }
}
