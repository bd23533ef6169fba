package dev.hangcheck.engine;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;

/**
 * Accumulates the CPU time of the current thread per phase and prints it at JVM exit. Disabled, it
 * costs nothing: {@link #start} returns 0 without asking the JVM for the time.
 */
final class CpuTimer {

  private static final CpuTimer DISABLED = new CpuTimer(false);

  private final boolean enabled;
  private final ThreadMXBean threads;
  private final Map<String, Long> nanosByPhase = new TreeMap<>();

  private CpuTimer(boolean enabled) {
    this.enabled = enabled;
    this.threads = enabled ? ManagementFactory.getThreadMXBean() : null;
  }

  static CpuTimer create(boolean enabled) {
    if (!enabled) {
      return DISABLED;
    }
    CpuTimer timer = new CpuTimer(true);
    Runtime.getRuntime().addShutdownHook(new Thread(timer::print, "hangcheck-timing"));
    return timer;
  }

  long start() {
    return enabled ? threads.getCurrentThreadCpuTime() : 0;
  }

  void stop(String phase, long start) {
    if (enabled) {
      long elapsed = threads.getCurrentThreadCpuTime() - start;
      synchronized (nanosByPhase) {
        nanosByPhase.merge(phase, elapsed, Long::sum);
      }
    }
  }

  private void print() {
    StringBuilder line = new StringBuilder("hangcheck-timing:");
    synchronized (nanosByPhase) {
      nanosByPhase.forEach((phase, nanos) -> line.append(' ').append(phase).append('=').append(nanos / 1_000_000).append("ms"));
    }
    System.err.println(line);
  }
}
