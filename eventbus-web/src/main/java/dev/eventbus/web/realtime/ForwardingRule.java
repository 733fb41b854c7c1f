package dev.eventbus.web.realtime;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A rule that pushes bus events of some types to clients with no code: to a room, to a
 * user, or to everyone. The room and the user are SpEL expressions over the event
 * envelope, whose payload reads as a map: {@code 'photo:' + subject},
 * {@code payload.userId}.
 *
 * @param types type patterns of the events pushed
 * @param room expression of the room, or {@code null}
 * @param user expression of the user, or {@code null}
 * @param broadcast whether the events go to every client
 */
public record ForwardingRule(List<String> types, @Nullable String room, @Nullable String user, boolean broadcast) {

	public ForwardingRule {
		types = List.copyOf(types);
		if (types.isEmpty()) {
			throw new IllegalArgumentException(
					"A forwarding rule needs the types it pushes (eventbus.realtime.forward[].types)");
		}
		if (room == null && user == null && !broadcast) {
			throw new IllegalArgumentException(
					"Forwarding rule of " + types + " sends nowhere: give it a room, a user or " + "broadcast: true");
		}
	}

}
