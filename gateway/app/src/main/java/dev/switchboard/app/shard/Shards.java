package dev.switchboard.app.shard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Conversations hash into a fixed number of shards, the unit of ownership between nodes. The hash is the first
 * 32 bits of the MD5 of the conversation key, so PostgreSQL computes the same shard ({@code shard_of} in the
 * schema) for the recovery sweep and the fence check.
 */
public final class Shards {
  /** How many shards there are; fixed by the schema ({@code shard_of} masks with 63). */
  public static final int COUNT = 64;

  private Shards() {}

  /** The shard of a conversation key ({@code channel:id}). */
  public static int of(String conversation) {
    try {
      byte[] md5 = MessageDigest.getInstance("MD5").digest(conversation.getBytes(StandardCharsets.UTF_8));
      int first32 = ((md5[0] & 0xff) << 24) | ((md5[1] & 0xff) << 16) | ((md5[2] & 0xff) << 8) | (md5[3] & 0xff);
      return first32 & (COUNT - 1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
