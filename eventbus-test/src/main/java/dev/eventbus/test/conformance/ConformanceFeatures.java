package dev.eventbus.test.conformance;

import dev.eventbus.spi.AdapterCapabilities;

/**
 * What the adapter under test supports, deciding which conformance cases run. A case that
 * needs a feature the adapter lacks is skipped with a reason naming the feature.
 * Immutable.
 *
 * @param persistent messages survive a restart of the application and of the broker
 * @param consumerGroups members of a group compete for messages, groups are independent,
 * and a group keeps its place while it has no member
 * @param orderedPerKey messages of one key are delivered in publish order, one at a time
 * @param redeliversUnacked a delivery left unsettled by a consumer that died or closed is
 * given to another member of the group
 * @param brokerRestart the test can stop and start the broker
 * ({@link AdapterConformanceSuite#restartBroker()})
 */
public record ConformanceFeatures(boolean persistent, boolean consumerGroups, boolean orderedPerKey,
		boolean redeliversUnacked, boolean brokerRestart) {

	/**
	 * Features as the adapter declares them; the broker is not restartable.
	 * @param capabilities the adapter's capabilities
	 * @return the features
	 */
	public static ConformanceFeatures of(AdapterCapabilities capabilities) {
		return new ConformanceFeatures(capabilities.persistent(), capabilities.consumerGroups(),
				capabilities.orderedPerKey(), capabilities.redeliversUnacked(), false);
	}

	public ConformanceFeatures withBrokerRestart(boolean brokerRestart) {
		return new ConformanceFeatures(this.persistent, this.consumerGroups, this.orderedPerKey, this.redeliversUnacked,
				brokerRestart);
	}

	public ConformanceFeatures withOrderedPerKey(boolean orderedPerKey) {
		return new ConformanceFeatures(this.persistent, this.consumerGroups, orderedPerKey, this.redeliversUnacked,
				this.brokerRestart);
	}

	public ConformanceFeatures withRedeliversUnacked(boolean redeliversUnacked) {
		return new ConformanceFeatures(this.persistent, this.consumerGroups, this.orderedPerKey, redeliversUnacked,
				this.brokerRestart);
	}

}
