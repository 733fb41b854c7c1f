/**
 * The live page ({@code static/index.html}): who is signed in, their orders, and who may
 * join which room of the real-time bridge.
 */
@NullMarked
package dev.eventbus.sample.live;

import org.jspecify.annotations.NullMarked;
