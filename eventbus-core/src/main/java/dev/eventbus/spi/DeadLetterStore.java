package dev.eventbus.spi;

import java.util.List;

/**
 * Reads and removes messages of a dead-letter destination without a consumer group.
 * Thread safe.
 */
public interface DeadLetterStore {

	/**
	 * Read messages, oldest first, without removing them.
	 * @param deadLetterDestination the dead-letter destination
	 * @param limit maximum number returned
	 * @return the messages
	 */
	List<StoredMessage> browse(String deadLetterDestination, int limit);

	/**
	 * Remove one message.
	 * @param deadLetterDestination the dead-letter destination
	 * @param messageId its broker id
	 * @return whether it was there
	 */
	boolean remove(String deadLetterDestination, String messageId);

	/**
	 * Remove every message.
	 * @param deadLetterDestination the dead-letter destination
	 * @return how many were removed
	 */
	int purge(String deadLetterDestination);

}
