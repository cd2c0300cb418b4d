package io.tritonwatch.stage;

import io.tritonwatch.parse.ParsedLine;
import io.tritonwatch.parse.TritonEvent;
import io.tritonwatch.parse.TritonEvent.ExceptionChained;
import io.tritonwatch.parse.TritonEvent.ExceptionIgnored;
import io.tritonwatch.parse.TritonEvent.PythonException;
import io.tritonwatch.parse.TritonEvent.TracebackFrame;
import io.tritonwatch.parse.TritonEvent.TracebackStart;

/**
 * Folds a Python traceback into one failure. A traceback is a dozen to a hundred lines, each
 * with the same log header when vLLM logs it at ERROR; only its exception line says what
 * broke, and in a chain of exceptions the first one printed is the root cause. Lines of
 * another level (another process writing meanwhile) pass through untouched.
 */
final class Tracebacks {

  /** What a line is to the traceback in progress. */
  enum Role {
    /** Not part of a traceback: apply its events. */
    NONE,
    /** A header, frame, source or caret line: nothing to apply. */
    PART,
    /** The exception that closes the first traceback of a failure: its root cause. */
    ROOT,
    /** The same, for a traceback Python printed after "Exception ignored in": not fatal. */
    IGNORED_ROOT,
    /** The exception of a later traceback in a chain: already told by the root. */
    CHAINED
  }

  /** A traceback that never reaches its exception line (a cut log) stops absorbing here. */
  private static final int MAX_LINES = 500;

  private boolean open;
  private char severity;
  private int lines;
  /** The last traceback's exception was printed and a chain may still continue it. */
  private boolean afterException;
  private boolean chainPending;
  private boolean ignoreNext;
  private boolean ignoredGroup;
  private char groupSeverity;

  /** The level of the traceback whose exception {@link Role#ROOT} just reported. */
  char severity() {
    return groupSeverity;
  }

  Role role(ParsedLine line) {
    TritonEvent first = line.events().isEmpty() ? null : line.events().get(0);
    char sev = line.severity();
    if (first instanceof TracebackStart) {
      if (!chainPending) {
        ignoredGroup = ignoreNext;
        groupSeverity = sev;
        afterException = false;
      }
      ignoreNext = false;
      chainPending = false;
      open = true;
      severity = sev;
      lines = 0;
      return Role.PART;
    }
    if (first instanceof ExceptionIgnored) {
      ignoreNext = true;
      return Role.PART;
    }
    if (first instanceof ExceptionChained) {
      chainPending = afterException;
      return Role.PART;
    }
    if (!open) {
      if (!line.message().isEmpty() && (sev == groupSeverity || sev == ' ')) {
        afterException = false;
        chainPending = false;
      }
      return Role.NONE;
    }
    boolean same = sev == severity || sev == ' ';
    if (first instanceof PythonException && same) {
      open = false;
      boolean rooted = afterException;
      afterException = true;
      if (rooted) {
        return Role.CHAINED;
      }
      return ignoredGroup ? Role.IGNORED_ROOT : Role.ROOT;
    }
    if (first instanceof TracebackFrame || same) {
      if (++lines > MAX_LINES) {
        open = false;
      }
      return Role.PART;
    }
    return Role.NONE;
  }
}
