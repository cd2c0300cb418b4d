package io.tritonwatch.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.tritonwatch.diagnose.Diagnoser;
import io.tritonwatch.diagnose.Diagnosis;
import io.tritonwatch.stage.ModelState;
import io.tritonwatch.stage.ModelSummary;
import io.tritonwatch.stage.RememberedFailure;
import io.tritonwatch.watch.WatchedContainer;
import java.util.HashSet;
import java.util.Set;

/**
 * A container's per-model series: state, load time, why it failed in the latest start-up and
 * its last failure kept across restarts, each with the failure's diagnosis.
 */
final class ModelMeters {

  private static final int MAX_UNDIAGNOSED = 1000;
  private final ContainerMeters owner;
  /** Distinct failures (model, version, reason) no catalogue entry explained, over the container's life. */
  final Set<String> undiagnosed = new HashSet<>();

  ModelMeters(ContainerMeters owner) {
    this.owner = owner;
  }

  void modelMeters(ModelSummary m, Set<String> want) {
    String name = ContainerMeters.label(m.name());
    String version = m.version() == null ? "" : m.version();
    Tags t = owner.base.and("model", name, "version", version);
    String id = m.name() + "|" + version;
    owner.dyn(want, "ready|" + id, () -> Gauge.builder("tritonwatch.model.ready", owner.c, w -> modelIs(w, m, ModelState.READY))
        .tags(t).description("1 while the model is READY").strongReference(true).register(owner.registry));
    for (ModelState st : ModelState.values()) {
      owner.dyn(want, "state|" + id + "|" + st, () -> Gauge.builder("tritonwatch.model.state", owner.c, w -> modelIs(w, m, st))
          .tags(t.and("state", st.name())).description("The model's state: 1 for the current one")
          .strongReference(true).register(owner.registry));
    }
    Object load = m.figures().get("loadSeconds");
    if (load instanceof Number) {
      owner.dyn(want, "load|" + id, () -> Gauge.builder("tritonwatch.model.load.duration", owner.c,
              w -> modelFigure(w, m, "loadSeconds"))
          .baseUnit("seconds").tags(t).description("Seconds from 'loading' to 'successfully loaded'")
          .strongReference(true).register(owner.registry));
    }
    if (m.state() == ModelState.FAILED || m.currentState() == ModelState.FAILED) {
      String cls = m.errorClass() == null ? "model_load_failed" : m.errorClass();
      String reason = ContainerMeters.label(m.reason() == null ? "" : m.reason(), 256);
      String diagnosis = diagnosisOf(m.name(), version, m.reason(), m.errorClass());
      owner.dyn(want, "finfo|" + id + "|" + cls + "|" + reason + "|" + diagnosis, () -> Gauge.builder(
              "tritonwatch.model.failure.info", () -> 1)
          .tags(t.and("class", cls, "reason", reason, "diagnosis", diagnosis))
          .description("Why the model failed to load in the latest start-up").strongReference(true).register(owner.registry));
    }
  }

  /**
   * A model's last failure stays until the model is READY again, through every restart of a
   * crash loop: what an alert on "failed to load" needs, where the latest start-up alone would
   * show a fresh LOADING.
   */
  void rememberedFailureMeters(RememberedFailure f, Set<String> want) {
    String version = f.version() == null ? "" : f.version();
    String cls = f.errorClass() == null ? "model_load_failed" : f.errorClass();
    String reason = ContainerMeters.label(f.reason() == null ? "" : f.reason(), 256);
    Tags t = owner.base.and("model", ContainerMeters.label(f.model()), "version", version);
    String id = f.model() + "|" + version;
    String diagnosis = diagnosisOf(f.model(), version, f.reason(), f.errorClass());
    owner.dyn(want, "lfinfo|" + id + "|" + cls + "|" + reason + "|" + diagnosis, () -> Gauge.builder(
            "tritonwatch.model.last.failure.info", () -> 1)
        .tags(t.and("class", cls, "reason", reason, "diagnosis", diagnosis))
        .description("The model's last failure, kept across restarts until it is READY again")
        .strongReference(true).register(owner.registry));
    if (f.at() != null) {
      owner.dyn(want, "lfat|" + id, () -> Gauge.builder("tritonwatch.model.last.failure.timestamp", owner.c,
              w -> lastFailureAt(w, f.model(), version))
          .baseUnit("seconds").tags(t)
          .description("When the start-up that last failed the model ended (Unix seconds)")
          .strongReference(true).register(owner.registry));
    }
  }

  /**
   * The failure's diagnosis id (a bounded set: the catalogue's ids and "none"); a failure none
   * explains is counted once in tritonwatch_failures_without_diagnosis_total.
   */
  private String diagnosisOf(String model, String version, String reason, String errorClass) {
    Diagnosis d = Diagnoser.builtIn().of(reason, errorClass, owner.summaryForDiagnosis);
    if (d == null) {
      if (undiagnosed.size() < MAX_UNDIAGNOSED) {
        undiagnosed.add(model + '\u0000' + version + '\u0000' + reason);
      }
      return Diagnosis.NONE.id();
    }
    return d.id();
  }

  private double lastFailureAt(WatchedContainer w, String model, String version) {
    for (RememberedFailure f : owner.s().rememberedFailures()) {
      if (f.model().equals(model) && version.equals(f.version() == null ? "" : f.version()) && f.at() != null) {
        return f.at().toEpochMilli() / 1000.0;
      }
    }
    return Double.NaN;
  }

  private double modelIs(WatchedContainer w, ModelSummary m, ModelState st) {
    for (ModelSummary x : owner.s().models()) {
      if (x.name().equals(m.name()) && java.util.Objects.equals(x.version(), m.version())) {
        return x.currentState() == st ? 1 : 0;
      }
    }
    return 0;
  }

  private double modelFigure(WatchedContainer w, ModelSummary m, String key) {
    for (ModelSummary x : owner.s().models()) {
      if (x.name().equals(m.name()) && java.util.Objects.equals(x.version(), m.version())
          && x.figures().get(key) instanceof Number n) {
        return n.doubleValue();
      }
    }
    return Double.NaN;
  }
}
