package dev.eventbus.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Set;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * What each side of {@link KafkaBenchmark} cost the clients and the broker over the whole
 * run (warm-up and latency phases included), from the Kafka clients' own JMX metrics:
 * bytes per record, produce requests, fetches and offset commits per record. Client ids
 * tell the sides apart: the bus's start with {@value KafkaBenchmark#BUS_CLIENT_ID}, the
 * baselines' with {@value KafkaBenchmark#RAW_CLIENT_ID} and
 * {@value KafkaBenchmark#CLOUDEVENTS_CLIENT_ID}.
 */
final class KafkaClientStatistics {

	private KafkaClientStatistics() {
	}

	static void print() {
		System.out.println();
		System.out.println("client metrics, whole run: record size = producer record-size-avg (bytes, last 30 s), "
				+ "per record = produce requests / fetches / commits per record sent or consumed");
		System.out.printf("%-16s %12s %12s %12s %12s%n", "side", "record size", "produce/rec", "fetch/rec",
				"commit/rec");
		for (String side : new String[] { KafkaBenchmark.BUS_CLIENT_ID, KafkaBenchmark.RAW_CLIENT_ID,
				KafkaBenchmark.CLOUDEVENTS_CLIENT_ID }) {
			try {
				print(side);
			}
			catch (JMException ex) {
				System.out.println(side + ": metrics not available (" + ex.getMessage() + ")");
			}
		}
	}

	private static void print(String side) throws JMException {
		MBeanServer server = ManagementFactory.getPlatformMBeanServer();
		double recordSize = 0;
		double sent = 0;
		double produceRequests = 0;
		for (ObjectName name : names(server, "kafka.producer:type=producer-metrics,*", side)) {
			recordSize = Math.max(recordSize, number(server, name, "record-size-avg"));
			sent += number(server, name, "record-send-total");
			produceRequests += number(server, name, "request-total");
		}
		double consumed = 0;
		double fetches = 0;
		for (ObjectName name : names(server, "kafka.consumer:type=consumer-fetch-manager-metrics,*", side)) {
			if (name.getKeyProperty("topic") == null && name.getKeyProperty("partition") == null) {
				consumed += number(server, name, "records-consumed-total");
				fetches += number(server, name, "fetch-total");
			}
		}
		double commits = 0;
		for (ObjectName name : names(server, "kafka.consumer:type=consumer-coordinator-metrics,*", side)) {
			commits += number(server, name, "commit-total");
		}
		System.out.printf("%-16s %12.0f %12.4f %12.4f %12.4f%n", side, recordSize, produceRequests / sent,
				fetches / consumed, commits / consumed);
	}

	private static Set<ObjectName> names(MBeanServer server, String pattern, String side) throws JMException {
		Set<ObjectName> names = server.queryNames(new ObjectName(pattern), null);
		names.removeIf((name) -> !String.valueOf(name.getKeyProperty("client-id")).startsWith(side));
		return names;
	}

	private static double number(MBeanServer server, ObjectName name, String attribute) throws JMException {
		Object value = server.getAttribute(name, attribute);
		return (value instanceof Number number && !Double.isNaN(number.doubleValue())) ? number.doubleValue() : 0;
	}

}
