/**
 * The plugin contract of Switchboard: the normalized message ({@link dev.switchboard.spi.Envelope}), what a
 * skill answers ({@link dev.switchboard.spi.SkillResponse}, {@link dev.switchboard.spi.Reply}) and the skill
 * itself ({@link dev.switchboard.spi.Skill}, {@link dev.switchboard.spi.SkillContext}).
 *
 * <p>This package depends on the JDK and vertx-core only. A skill never sees HTTP, Redis, PostgreSQL or a
 * platform's own types: channels map their payloads into an envelope, and render replies back.
 */
package dev.switchboard.spi;
