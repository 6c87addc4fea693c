package org.keepfs.client.fuse.lowlevel;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;

/**
 * Builds {@code struct fuse_lowlevel_ops}: one function pointer per operation, in libfuse 3.14's
 * order (44 slots; a newer libfuse takes a shorter table and treats the missing tail as unset).
 * Each pointer is an upcall stub bound to a method of the adapter; unset slots stay NULL and libfuse
 * answers them itself (ENOSYS, or success for opendir-like calls).
 */
final class Operations {
  /** Slots of struct fuse_lowlevel_ops, in declaration order. */
  private enum Slot {
    INIT, DESTROY, LOOKUP, FORGET, GETATTR, SETATTR, READLINK, MKNOD, MKDIR, UNLINK, RMDIR, SYMLINK, RENAME, LINK,
    OPEN, READ, WRITE, FLUSH, RELEASE, FSYNC, OPENDIR, READDIR, RELEASEDIR, FSYNCDIR, STATFS, SETXATTR, GETXATTR,
    LISTXATTR, REMOVEXATTR, ACCESS, CREATE, GETLK, SETLK, BMAP, IOCTL, POLL, WRITE_BUF, RETRIEVE_REPLY, FORGET_MULTI,
    FLOCK, FALLOCATE, READDIRPLUS, COPY_FILE_RANGE, LSEEK
  }

  static final long SIZE = Slot.values().length * ADDRESS.byteSize();

  private Operations() {}

  /** The ops table for {@code adapter}, its stubs living as long as {@code arena}. */
  static MemorySegment build(LowLevelAdapter adapter, Arena arena) {
    MemorySegment ops = arena.allocate(SIZE, 8);
    Binder b = new Binder(ops, arena);
    WriteOperations w = adapter.writes();
    b.bind(Slot.INIT, adapter, "init", ADDRESS, ADDRESS);
    b.bind(Slot.LOOKUP, adapter, "lookup", ADDRESS, JAVA_LONG, ADDRESS);
    b.bind(Slot.FORGET, adapter, "forget", ADDRESS, JAVA_LONG, JAVA_LONG);
    b.bind(Slot.GETATTR, adapter, "getattr", ADDRESS, JAVA_LONG, ADDRESS);
    b.bind(Slot.SETATTR, adapter, "setattr", ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS);
    b.bind(Slot.READLINK, adapter, "readlink", ADDRESS, JAVA_LONG);
    b.bind(Slot.MKDIR, w, "mkdir", ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT);
    b.bind(Slot.UNLINK, w, "unlink", ADDRESS, JAVA_LONG, ADDRESS);
    b.bind(Slot.RMDIR, w, "rmdir", ADDRESS, JAVA_LONG, ADDRESS);
    b.bind(Slot.SYMLINK, w, "symlink", ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);
    b.bind(Slot.RENAME, w, "rename", ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT);
    b.bind(Slot.OPEN, adapter, "open", ADDRESS, JAVA_LONG, ADDRESS);
    b.bind(Slot.READ, adapter, "read", ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS);
    b.bind(Slot.WRITE, w, "write", ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS);
    b.bind(Slot.FLUSH, w, "flush", ADDRESS, JAVA_LONG, ADDRESS);
    b.bind(Slot.RELEASE, adapter, "release", ADDRESS, JAVA_LONG, ADDRESS);
    b.bind(Slot.FSYNC, w, "fsync", ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS);
    b.bind(Slot.OPENDIR, adapter, "opendir", ADDRESS, JAVA_LONG, ADDRESS);
    b.bind(Slot.READDIR, adapter, "readdir", ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS);
    b.bind(Slot.RELEASEDIR, adapter, "releasedir", ADDRESS, JAVA_LONG, ADDRESS);
    b.bind(Slot.FSYNCDIR, adapter, "fsyncdir", ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS);
    b.bind(Slot.STATFS, adapter, "statfs", ADDRESS, JAVA_LONG);
    // Without extended attributes the slots stay unset: libfuse answers ENOSYS once and the kernel
    // stops asking, which spares `ls -l` two GETXATTR round trips (SELinux label, ACL) per file.
    if (adapter.filesystemOverrides("getxattr", long.class, String.class)) {
      b.bind(Slot.GETXATTR, adapter, "getxattr", ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG);
    }
    if (adapter.filesystemOverrides("listxattr", long.class)) {
      b.bind(Slot.LISTXATTR, adapter, "listxattr", ADDRESS, JAVA_LONG, JAVA_LONG);
    }
    b.bind(Slot.CREATE, w, "create", ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS);
    b.bind(Slot.FORGET_MULTI, adapter, "forgetMulti", ADDRESS, JAVA_LONG, ADDRESS);
    b.bind(Slot.READDIRPLUS, adapter, "readdirplus", ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS);
    return ops;
  }

  private record Binder(MemorySegment ops, Arena arena) {
    void bind(Slot slot, Object target, String method, MemoryLayout... arguments) {
      FunctionDescriptor descriptor = FunctionDescriptor.ofVoid(arguments);
      try {
        MethodHandle handle = MethodHandles.lookup()
            .findVirtual(target.getClass(), method, descriptor.toMethodType())
            .bindTo(target);
        MemorySegment stub = Linker.nativeLinker().upcallStub(handle, descriptor, arena);
        ops.set(ADDRESS, slot.ordinal() * ADDRESS.byteSize(), stub);
      } catch (NoSuchMethodException | IllegalAccessException e) {
        throw new IllegalStateException("the adapter has no method " + method + descriptor.toMethodType(), e);
      }
    }
  }
}
