package dev.eventbus.web.realtime;

import java.util.List;

/**
 * Where an SSE client that reconnects finds the pushes it missed, when this instance's
 * buffer of recent pushes no longer has its place.
 */
@FunctionalInterface
public interface PushHistory {

	/**
	 * The pushes after one, oldest first.
	 * @param lastEventId {@link Push#sseId() SSE id} of the last push the client got
	 * @return the pushes after it; none when it cannot be found
	 */
	List<Push> after(String lastEventId);

}
