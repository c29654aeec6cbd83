// yarnsec's libhadoop, checked in a real JVM against the Hadoop jars on its classpath:
//   java -Djava.library.path=DIR -cp 'HADOOP_JARS/*' NativeChecker.java
// 1. Every native method of every hadoop-common class is called once with zero arguments: it
//    either answers (a value or its own exception: the library provides it) or the JVM throws
//    UnsatisfiedLinkError (it does not). Each method it does not provide must belong to a class
//    whose guard, asked here, keeps Hadoop from calling it; any other is a FAIL line.
// 2. What the NodeManager uses, used: SecureIOUtils' owner check (right owner reads, wrong owner
//    refused), checksums against Hadoop's pure-Java CRCs (computed, verified, a flipped byte
//    found at its chunk), stat/chmod/open, a user's groups.
// Prints one line per finding; exits 1 after any FAIL line.
import java.io.*;
import java.lang.reflect.*;
import java.nio.ByteBuffer;
import java.nio.file.*;
import java.util.*;
import java.util.jar.*;

public class NativeChecker {
  static int failures = 0;

  static void check(boolean ok, String what) {
    System.out.println((ok ? "ok   " : "FAIL ") + what);
    if (!ok) failures++;
  }

  // Why Hadoop never calls a native method of this class that the library lacks, asked live.
  static String guard(String cls, String method) throws Exception {
    switch (cls) {
      case "org.apache.hadoop.io.nativeio.NativeIO$Windows":
        return org.apache.hadoop.util.Shell.WINDOWS ? null : "Windows only (Shell.WINDOWS is false)";
      case "org.apache.hadoop.io.nativeio.NativeIO":
        return method.equals("copyFileUnbuffered0") && !org.apache.hadoop.util.Shell.WINDOWS ? "Windows only" : null;
      case "org.apache.hadoop.io.nativeio.NativeIO$POSIX":
        return method.startsWith("pmem") || method.startsWith("isPmem") ? (org.apache.hadoop.io.nativeio.NativeIO.POSIX.isPmdkAvailable() ? null : "PMDK unsupported (isPmdkAvailable is false)") : null;
      case "org.apache.hadoop.io.nativeio.NativeIO$POSIX$Pmem":
        return org.apache.hadoop.io.nativeio.NativeIO.POSIX.isPmdkAvailable() ? null : "PMDK unsupported (isPmdkAvailable is false)";
      case "org.apache.hadoop.crypto.OpensslCipher":
      case "org.apache.hadoop.crypto.random.OpensslSecureRandom":
      case "org.apache.hadoop.crypto.OpensslSm4CtrCryptoCodec": {
        String r = org.apache.hadoop.crypto.OpensslCipher.getLoadingFailureReason();
        return r == null ? null : "OpenSSL off: " + r;
      }
      case "org.apache.hadoop.io.erasurecode.ErasureCodeNative":
      case "org.apache.hadoop.io.erasurecode.rawcoder.NativeRSRawDecoder":
      case "org.apache.hadoop.io.erasurecode.rawcoder.NativeRSRawEncoder":
      case "org.apache.hadoop.io.erasurecode.rawcoder.NativeXORRawDecoder":
      case "org.apache.hadoop.io.erasurecode.rawcoder.NativeXORRawEncoder":
      case "org.apache.hadoop.io.erasurecode.rawcoder.AbstractNativeRawDecoder":
      case "org.apache.hadoop.io.erasurecode.rawcoder.AbstractNativeRawEncoder": {
        String r = org.apache.hadoop.io.erasurecode.ErasureCodeNative.getLoadingFailureReason();
        return r == null ? null : "ISA-L off: " + r;
      }
      case "org.apache.hadoop.io.compress.zstd.ZStandardCompressor":
      case "org.apache.hadoop.io.compress.zstd.ZStandardDecompressor":
        return org.apache.hadoop.io.compress.ZStandardCodec.isNativeCodeLoaded() ? null : "zstd off (buildSupportsZstd is false)";
      case "org.apache.hadoop.io.compress.zlib.ZlibCompressor":
      case "org.apache.hadoop.io.compress.zlib.ZlibDecompressor":
        return org.apache.hadoop.io.compress.zlib.ZlibFactory.isNativeZlibLoaded(new org.apache.hadoop.conf.Configuration()) ? null : "native zlib off";
      case "org.apache.hadoop.io.compress.bzip2.Bzip2Compressor":
      case "org.apache.hadoop.io.compress.bzip2.Bzip2Decompressor":
        return org.apache.hadoop.io.compress.bzip2.Bzip2Factory.isNativeBzip2Loaded(new org.apache.hadoop.conf.Configuration()) ? null : "native bzip2 off";
      case "org.apache.hadoop.net.unix.DomainSocket": {
        Throwable t = org.apache.hadoop.net.unix.DomainSocket.getLoadingFailureReason() == null ? null : new Exception(org.apache.hadoop.net.unix.DomainSocket.getLoadingFailureReason());
        return t == null ? null : "domain sockets off: " + t.getMessage();
      }
      case "org.apache.hadoop.net.unix.DomainSocketWatcher":
      case "org.apache.hadoop.net.unix.DomainSocketWatcher$FdSet":
        return org.apache.hadoop.net.unix.DomainSocketWatcher.getLoadingFailureReason() == null ? null
            : "domain sockets off: " + org.apache.hadoop.net.unix.DomainSocketWatcher.getLoadingFailureReason();
      case "org.apache.hadoop.io.nativeio.SharedFileDescriptorFactory":
        return org.apache.hadoop.net.unix.DomainSocket.getLoadingFailureReason() != null
            ? "short-circuit shared memory needs domain sockets, which are off" : null;
      case "org.apache.hadoop.security.JniBasedUnixGroupsNetgroupMapping": {
        String mapping = new org.apache.hadoop.conf.Configuration().get("hadoop.security.group.mapping", "");
        return mapping.contains("Netgroup") ? null : "netgroup mapping not configured (" + mapping + ")";
      }
      default:
        return null;
    }
  }

  static Object zero(Class<?> t) {
    if (!t.isPrimitive()) return null;
    if (t == boolean.class) return false;
    if (t == long.class) return 0L;
    if (t == int.class) return 0;
    if (t == short.class) return (short) 0;
    if (t == byte.class) return (byte) 0;
    if (t == char.class) return (char) 0;
    if (t == float.class) return 0f;
    return 0d;
  }

  static void nativeMethods(String jar) throws Exception {
    int provided = 0, guarded = 0;
    List<String> classes = new ArrayList<>();
    try (JarFile j = new JarFile(jar)) {
      for (Enumeration<JarEntry> e = j.entries(); e.hasMoreElements(); ) {
        String n = e.nextElement().getName();
        if (n.startsWith("org/apache/hadoop/") && n.endsWith(".class")) classes.add(n.replace('/', '.').substring(0, n.length() - 6));
      }
    }
    Collections.sort(classes);
    for (String name : classes) {
      Class<?> c;
      try {
        c = Class.forName(name, false, NativeChecker.class.getClassLoader());
      } catch (Throwable t) {
        continue;
      }
      Method[] methods;
      try {
        methods = c.getDeclaredMethods();
      } catch (Throwable t) {
        continue;
      }
      for (Method m : methods) {
        if (!Modifier.isNative(m.getModifiers())) continue;
        String id = name + "." + m.getName() + Arrays.toString(m.getParameterTypes());
        boolean bound;
        String answer;
        if (!Modifier.isStatic(m.getModifiers())) {
          bound = false;
          answer = "instance method (not called)";
        } else {
          try {
            m.setAccessible(true);
            Object[] args = Arrays.stream(m.getParameterTypes()).map(NativeChecker::zero).toArray();
            Object r = m.invoke(null, args);
            bound = true;
            answer = "returned " + r;
          } catch (InvocationTargetException ite) {
            Throwable t = ite.getCause();
            bound = !(t instanceof UnsatisfiedLinkError);
            answer = t.toString();
          } catch (ExceptionInInitializerError | NoClassDefFoundError e) {
            bound = false;
            answer = "class did not initialize: " + e;
          }
        }
        if (bound) {
          provided++;
          System.out.println("ok   provided " + id + ": " + answer.split("\n")[0]);
        } else {
          String why = guard(name, m.getName());
          if (why != null) guarded++;
          check(why != null, (why != null ? "not provided, never called: " + why : "not provided and not guarded: " + answer) + ": " + id);
        }
      }
    }
    check(provided >= 25, provided + " native methods provided, " + guarded + " guarded off");
  }

  static void inUse() throws Exception {
    check(org.apache.hadoop.util.NativeCodeLoader.isNativeCodeLoaded(), "libhadoop loaded from " + org.apache.hadoop.util.NativeCodeLoader.getLibraryName());
    check(org.apache.hadoop.io.nativeio.NativeIO.isAvailable(), "NativeIO available");
    check(org.apache.hadoop.io.nativeio.NativeIO.POSIX.isAvailable(), "NativeIO.POSIX available");
    check(org.apache.hadoop.io.nativeio.NativeIO.POSIX.Stat.S_IFREG == 0100000, "Stat.S_IFREG set by the library");

    Path dir = Files.createTempDirectory("yarnsec-native");
    File f = dir.resolve("log").toFile();
    Files.write(f.toPath(), "container log\n".getBytes());
    String me = System.getProperty("user.name");
    // What openForRead does on a Kerberos cluster (outside one it skips the check).
    Method secureOpen = org.apache.hadoop.io.SecureIOUtils.class.getDeclaredMethod("forceSecureOpenForRead", File.class, String.class, String.class);
    secureOpen.setAccessible(true);
    try (InputStream in = (InputStream) secureOpen.invoke(null, f, me, null)) {
      check(new String(in.readAllBytes()).equals("container log\n"), "SecureIOUtils.openForRead as its owner " + me);
    }
    try {
      ((InputStream) secureOpen.invoke(null, f, "no-such-owner", null)).close();
      check(false, "SecureIOUtils.openForRead refuses a file whose owner is not the expected one");
    } catch (InvocationTargetException e) {
      String m = String.valueOf(e.getCause().getMessage());
      check(m.contains("did not match expected owner"), "SecureIOUtils.openForRead refuses another owner: " + m);
    }
    org.apache.hadoop.io.nativeio.NativeIO.POSIX.chmod(f.getPath(), 0640);
    org.apache.hadoop.io.nativeio.NativeIO.POSIX.Stat st = org.apache.hadoop.io.nativeio.NativeIO.POSIX.getStat(f.getPath());
    check((st.getMode() & 0777) == 0640 && st.getOwner().equals(me), "chmod and stat: " + st);
    try {
      org.apache.hadoop.io.nativeio.NativeIO.POSIX.getStat(dir.resolve("missing").toString());
      check(false, "stat of a missing file throws");
    } catch (IOException e) {
      check(e.getCause() instanceof org.apache.hadoop.io.nativeio.NativeIOException
          && ((org.apache.hadoop.io.nativeio.NativeIOException) e.getCause()).getErrno() == org.apache.hadoop.io.nativeio.Errno.ENOENT,
          "stat of a missing file: " + e.getCause());
    }
    File created = dir.resolve("created").toFile();
    try (FileOutputStream out = org.apache.hadoop.io.nativeio.NativeIO.getCreateForWriteFileOutputStream(created, 0600)) {
      out.write(1);
    }
    check((org.apache.hadoop.io.nativeio.NativeIO.POSIX.getStat(created.getPath()).getMode() & 0777) == 0600, "open(O_CREAT|O_EXCL, 0600)");
    try {
      org.apache.hadoop.io.nativeio.NativeIO.getCreateForWriteFileOutputStream(created, 0600).close();
      check(false, "open(O_EXCL) of an existing file throws");
    } catch (IOException e) {
      check(e.toString().contains("EEXIST") || e.toString().contains("exists"), "open(O_EXCL) of an existing file: " + e);
    }

    for (org.apache.hadoop.util.DataChecksum.Type type : new org.apache.hadoop.util.DataChecksum.Type[] {
        org.apache.hadoop.util.DataChecksum.Type.CRC32, org.apache.hadoop.util.DataChecksum.Type.CRC32C}) {
      org.apache.hadoop.util.DataChecksum sum = org.apache.hadoop.util.DataChecksum.newDataChecksum(type, 512);
      byte[] data = new byte[512 * 9 + 100];
      new Random(7).nextBytes(data);
      byte[] expected = new byte[10 * 4];
      java.util.zip.Checksum pure = type == org.apache.hadoop.util.DataChecksum.Type.CRC32
          ? new org.apache.hadoop.util.PureJavaCrc32() : new org.apache.hadoop.util.PureJavaCrc32C();
      for (int i = 0; i < 10; i++) {
        pure.reset();
        pure.update(data, i * 512, Math.min(512, data.length - i * 512));
        int v = (int) pure.getValue();
        expected[4 * i] = (byte) (v >>> 24); expected[4 * i + 1] = (byte) (v >>> 16); expected[4 * i + 2] = (byte) (v >>> 8); expected[4 * i + 3] = (byte) v;
      }
      byte[] arraySums = new byte[40];
      sum.calculateChunkedSums(data, 0, data.length, arraySums, 0);
      check(Arrays.equals(arraySums, expected), type + " sums of a byte array equal Hadoop's pure-Java ones");
      ByteBuffer d = ByteBuffer.allocateDirect(data.length).put(data);
      d.flip();
      ByteBuffer s = ByteBuffer.allocateDirect(40);
      sum.calculateChunkedSums(d, s);
      byte[] directSums = new byte[40];
      s.get(0, directSums);
      check(Arrays.equals(directSums, expected), type + " sums of a direct buffer equal Hadoop's pure-Java ones");
      s.position(0);
      sum.verifyChunkedSums(d, s, "f", 0);
      d.put(512 * 3 + 7, (byte) (d.get(512 * 3 + 7) ^ 1));
      try {
        sum.verifyChunkedSums(d, s, "/data/part-0", 8192);
        check(false, type + " a flipped byte is found");
      } catch (org.apache.hadoop.fs.ChecksumException e) {
        check(e.getPos() == 8192 + 512 * 3 && e.getMessage().contains("/data/part-0"), type + " a flipped byte is found: " + e.getMessage());
      }
    }
    String[] groups = new org.apache.hadoop.security.JniBasedUnixGroupsMapping().getGroups("root").toArray(new String[0]);
    check(groups.length > 0 && groups[0].equals("root"), "root's groups through JNI: " + Arrays.toString(groups));
    check(new org.apache.hadoop.security.JniBasedUnixGroupsMapping().getGroups("no-such-user-yarnsec").isEmpty(), "an unknown user has no groups");
  }

  public static void main(String[] a) throws Exception {
    inUse();
    nativeMethods(a[0]);
    System.out.println(failures == 0 ? "all checks passed" : failures + " checks failed");
    System.exit(failures == 0 ? 0 : 1);
  }
}
