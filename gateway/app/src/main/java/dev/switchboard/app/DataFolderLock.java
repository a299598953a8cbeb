package dev.switchboard.app;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One gateway per data folder: an exclusive lock on {@code <data-dir>/gateway.lock}, holding the pid of the
 * gateway that has it. A second gateway on the same folder stops at once, naming that pid, instead of taking the
 * first one's embedded servers for leftovers of a crash and stopping them. The operating system drops the lock
 * with the process, so after {@code kill -9} the next start gets it.
 */
final class DataFolderLock implements AutoCloseable {
  static final String FILE = "gateway.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataFolderLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the folder's lock.
   *
   * @throws IllegalStateException naming the pid of the gateway that holds it
   */
  static DataFolderLock acquire(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve(FILE);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException heldHere) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      String holder = Files.readString(file, StandardCharsets.US_ASCII).strip();
      throw new IllegalStateException("the data folder " + dataDir + " is in use by the gateway with pid "
          + (holder.isEmpty() ? "unknown" : holder) + "; stop that one first, or give this one its own data-dir");
    }
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)));
    channel.force(true);
    return new DataFolderLock(channel, lock);
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
