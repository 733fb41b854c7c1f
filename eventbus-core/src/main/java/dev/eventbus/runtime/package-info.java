/**
 * Dispatch runtime: handler discovery and invocation, routing, retry, dead letters,
 * lifecycle and statistics.
 */
@NullMarked
package dev.eventbus.runtime;

import org.jspecify.annotations.NullMarked;
