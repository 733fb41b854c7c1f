package dev.eventbus.web.realtime;

import java.security.Principal;

/**
 * Decides who may join which room. A client joins a room by subscribing to it (STOMP
 * {@code /topic/rooms/<room>}, or {@code ?room=<room>} of the SSE endpoint). Declare a
 * bean to replace the default, which lets every authenticated user join every room.
 */
@FunctionalInterface
public interface RoomAuthorizer {

	/**
	 * Whether a user may join a room.
	 * @param user the authenticated user
	 * @param room the room
	 * @return whether the user may join
	 */
	boolean mayJoin(Principal user, String room);

}
