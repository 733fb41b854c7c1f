package dev.eventbus.benchmarks;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * Runs one round against a target: a throughput phase (publish as fast as the window of
 * outstanding publishes allows while the consumer runs, until all events were
 * acknowledged and received) then a latency phase (publish at a fixed rate, far below
 * saturation, and take the percentiles of the end-to-end latency of every event).
 */
final class Driver {

	private final Options options;

	private final Recorder recorder;

	private @Nullable ThreadCpu cpu;

	Driver(Options options, Recorder recorder) {
		this.options = options;
		this.recorder = recorder;
	}

	/**
	 * Also measure CPU per event of the throughput phase.
	 * @param cpu the meter
	 */
	void measureCpu(ThreadCpu cpu) {
		this.cpu = cpu;
	}

	Measurement round(Target target) throws InterruptedException {
		int events = this.options.events();
		long requestsBefore = target.requests();
		this.recorder.begin(events);
		Semaphore window = new Semaphore(this.options.window());
		AtomicReference<Throwable> failure = new AtomicReference<>();
		ThreadCpu cpu = this.cpu;
		Map<String, Long> cpuBefore = (cpu != null) ? cpu.snapshot() : Map.of();
		long allocatedBefore = ThreadCpu.allocatedBytes();
		long start = System.nanoTime();
		long blocked = 0;
		for (int i = 0; i < events; i++) {
			if (!window.tryAcquire()) {
				long waitStart = System.nanoTime();
				window.acquire();
				blocked += System.nanoTime() - waitStart;
			}
			target.publish(i, System.nanoTime()).whenComplete((result, ex) -> {
				if (ex != null) {
					failure.compareAndSet(null, ex);
				}
				window.release();
			});
		}
		if (!window.tryAcquire(this.options.window(), this.options.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
			throw new IllegalStateException(target.name() + ": publishes not acknowledged in time");
		}
		long published = System.nanoTime();
		if (Boolean.getBoolean("bench.windowStats")) {
			System.out.printf(Locale.ROOT,
					"window: %s publisher waited for the window %.1f%% of the publish phase; "
							+ "%d of %d events consumed by its end%n",
					target.name(), 100.0 * blocked / (published - start), this.recorder.arrived(), events);
		}
		if (failure.get() != null) {
			throw new IllegalStateException(target.name() + ": publish failed", failure.get());
		}
		long consumed = this.recorder.await(this.options.timeout());
		Map<String, Double> cpuPerEvent = (cpu != null) ? ThreadCpu.perEvent(cpuBefore, cpu.snapshot(), events)
				: Map.of();
		double bytesPerEvent = (ThreadCpu.allocatedBytes() - allocatedBefore) / (double) events;
		long requests = target.requests() - requestsBefore;
		double publishRate = events * 1e9 / (published - start);
		double consumeRate = events * 1e9 / (consumed - start);
		double[] latency = latency(target);
		return new Measurement(publishRate, consumeRate, latency[0], latency[1],
				(requestsBefore < 0) ? -1 : (double) requests / events, cpuPerEvent, bytesPerEvent);
	}

	private double[] latency(Target target) throws InterruptedException {
		int events = this.options.latencyEvents();
		long interval = TimeUnit.SECONDS.toNanos(1) / this.options.rate();
		this.recorder.begin(events);
		long start = System.nanoTime();
		for (int i = 0; i < events; i++) {
			long due = start + i * interval;
			long wait;
			while ((wait = due - System.nanoTime()) > 0) {
				LockSupport.parkNanos(wait);
			}
			target.publish(i, System.nanoTime());
		}
		this.recorder.await(this.options.timeout());
		return new double[] { this.recorder.percentileMicros(50), this.recorder.percentileMicros(99) };
	}

}
