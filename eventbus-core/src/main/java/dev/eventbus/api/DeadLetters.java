package dev.eventbus.api;

import java.util.List;

/**
 * Inspect, replay and purge dead letters. Destinations are named as the original
 * destination (for example {@code orders}); the dead-letter destination is derived from
 * it.
 * <p>
 * Thread safe. Replay republishes the original message unchanged (failure headers
 * removed) to the destination it failed on, for the handler that failed on it only, then
 * removes the dead letter; a replayed event that fails again is dead-lettered again.
 */
public interface DeadLetters {

	/**
	 * Destinations that have, or may have, dead letters: every destination subscribed to.
	 * @return the destination names
	 */
	List<String> destinations();

	/**
	 * List dead letters of a destination, oldest first.
	 * @param destination the original destination
	 * @param limit maximum number returned
	 * @return the dead letters
	 */
	List<DeadLetter> list(String destination, int limit);

	/**
	 * Replay one dead letter.
	 * @param destination the original destination
	 * @param id the dead letter id
	 * @return {@code true} if it was found and republished
	 */
	boolean replay(String destination, String id);

	/**
	 * Replay every dead letter of a destination.
	 * @param destination the original destination
	 * @return how many were republished
	 */
	int replayAll(String destination);

	/**
	 * Remove every dead letter of a destination.
	 * @param destination the original destination
	 * @return how many were removed
	 */
	int purge(String destination);

}
