package dev.eventbus.spi;

/**
 * What an adapter guarantees.
 *
 * @param persistent messages survive a restart of the application and of the broker
 * @param consumerGroups members of a group compete for messages and groups are independent
 * @param orderedPerKey messages of one key are delivered in publish order, one at a time
 * @param redeliversUnacked a delivery that was never settled (consumer died) is given to another
 * member of the group
 * @param contentMode how events are laid out on the wire
 */
public record AdapterCapabilities(boolean persistent, boolean consumerGroups, boolean orderedPerKey,
		boolean redeliversUnacked, ContentMode contentMode) {

}
