/** The skills every gateway has: {@code help}, {@code todo} and the {@code fallback}. */
package dev.switchboard.skills.builtin;
