/**
 * Test support for applications and adapters: a thread-safe
 * {@link dev.eventbus.test.EventRecorder} and bounded {@link dev.eventbus.test.Awaits
 * awaits}.
 */
@NullMarked
package dev.eventbus.test;

import org.jspecify.annotations.NullMarked;
