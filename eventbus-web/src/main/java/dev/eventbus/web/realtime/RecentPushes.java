package dev.eventbus.web.realtime;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * The last pushes this instance delivered, in the order it delivered them, so that an SSE
 * client that reconnects with {@code Last-Event-ID} gets what it missed. Bounded: a
 * client away longer than the buffer lasts gets the pushes from its reconnection on.
 * Thread safe.
 */
final class RecentPushes {

	private final int capacity;

	private final Deque<Push> pushes;

	RecentPushes(int capacity) {
		this.capacity = capacity;
		this.pushes = new ArrayDeque<>(capacity);
	}

	synchronized void add(Push push) {
		if (this.capacity == 0) {
			return;
		}
		if (this.pushes.size() == this.capacity) {
			this.pushes.removeFirst();
		}
		this.pushes.addLast(push);
	}

	/**
	 * The pushes after one, oldest first.
	 * @param lastId {@link Push#sseId() SSE id} of the last push the client got
	 * @return the pushes after it; none when it is no longer in the buffer
	 */
	synchronized List<Push> after(String lastId) {
		List<Push> after = new ArrayList<>();
		Iterator<Push> newestFirst = this.pushes.descendingIterator();
		while (newestFirst.hasNext()) {
			Push push = newestFirst.next();
			if (push.sseId().equals(lastId)) {
				Collections.reverse(after);
				return after;
			}
			after.add(push);
		}
		return List.of();
	}

}
