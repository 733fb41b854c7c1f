package dev.eventbus.spi;

/**
 * What an adapter guarantees.
 *
 * @param persistent messages survive a restart of the application and of the broker
 * @param consumerGroups members of a group compete for messages, groups are independent,
 * and a group keeps its position while it has no member: messages sent meanwhile reach
 * its next member
 * @param orderedPerKey messages of one key are delivered in publish order, one at a time;
 * a message given back with {@link Delivery#retry} keeps its place and later messages of
 * its key wait
 * @param redeliversUnacked a delivery that was never settled (consumer died) is given to
 * another member of the group
 * @param contentMode how events are laid out on the wire
 */
public record AdapterCapabilities(boolean persistent, boolean consumerGroups, boolean orderedPerKey,
		boolean redeliversUnacked, ContentMode contentMode) {

}
