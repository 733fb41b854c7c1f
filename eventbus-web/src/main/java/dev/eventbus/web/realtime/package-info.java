/**
 * The real-time bridge: bus events pushed to browsers over STOMP and server-sent events,
 * to rooms, users and everyone, from any instance of the application.
 */
@NullMarked
package dev.eventbus.web.realtime;

import org.jspecify.annotations.NullMarked;
