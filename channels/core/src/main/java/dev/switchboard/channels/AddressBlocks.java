package dev.switchboard.channels;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A set of IP address blocks ({@code 10.0.0.0/8}, {@code ::1}, {@code 203.0.113.7}), given as text. */
public final class AddressBlocks {
  public static final AddressBlocks NONE = new AddressBlocks(List.of());

  private final List<Block> blocks;

  /** The first {@code prefix} bits of {@code address}. */
  private record Block(byte[] address, int prefix) {
    boolean contains(byte[] candidate) {
      if (candidate.length != address.length) {
        return false;
      }
      for (int bit = 0; bit < prefix; bit++) {
        int mask = 0x80 >>> (bit % 8);
        if ((candidate[bit / 8] & mask) != (address[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  private AddressBlocks(List<Block> blocks) {
    this.blocks = List.copyOf(blocks);
  }

  /**
   * @param entries IP addresses or CIDR blocks
   * @throws IllegalArgumentException naming the first entry that is neither
   */
  public static AddressBlocks parse(List<String> entries) {
    List<Block> blocks = new ArrayList<>();
    for (String entry : entries) {
      Block block = block(entry);
      if (block == null) {
        throw new IllegalArgumentException("not an IP address or CIDR block: " + entry);
      }
      blocks.add(block);
    }
    return new AddressBlocks(blocks);
  }

  /** Whether {@code entry} is an IP address or a CIDR block. */
  public static boolean isBlock(String entry) {
    return block(entry) != null;
  }

  public boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    return blocks.stream().anyMatch(b -> b.contains(bytes));
  }

  /** Whether {@code text}, an IP address literal, is in one of the blocks; {@code false} for anything else. */
  public boolean contains(String text) {
    InetAddress address = literal(text);
    return address != null && contains(address);
  }

  private static Block block(String entry) {
    String[] parts = entry.strip().split("/", 2);
    InetAddress address = literal(parts[0]);
    if (address == null) {
      return null;
    }
    int bits = address.getAddress().length * 8;
    int prefix = bits;
    if (parts.length == 2) {
      try {
        prefix = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return prefix < 0 || prefix > bits ? null : new Block(address.getAddress(), prefix);
  }

  /** An IP address literal ({@code [::1]} too), or {@code null} for anything else: never a DNS lookup. */
  public static InetAddress literal(String text) {
    String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    if (s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      for (String octet : s.split("\\.")) {
        if (Integer.parseInt(octet) > 255) {
          return null;
        }
      }
    } else if (!s.contains(":") || !s.matches("[0-9a-f:.]+")) {
      return null; // not IPv4 dotted, not IPv6 hex: a host name, which is not looked up here
    }
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
