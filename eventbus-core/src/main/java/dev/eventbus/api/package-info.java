/**
 * Public API of the event bus: what application code touches. No Spring Boot and no
 * broker client here.
 */
@NullMarked
package dev.eventbus.api;

import org.jspecify.annotations.NullMarked;
