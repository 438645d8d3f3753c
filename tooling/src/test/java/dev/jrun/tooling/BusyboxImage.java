package dev.jrun.tooling;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The tests' image, made offline: scripts/make-rootfs.sh's busybox rootfs as one uncompressed
 * layer tar (podman imports it as is), and that layer wrapped in an OCI image-layout archive that
 * `ctr image import` takes (one manifest, one config, index.json naming the image).
 */
final class BusyboxImage {
    private BusyboxImage() {}

    /** Builds the rootfs in dir/rootfs and returns dir/rootfs.tar, its content as a layer. */
    static Path layer(Path dir) {
        Path rootfs = dir.resolve("rootfs");
        Exec.run(Map.of(), List.of(Host.repo().resolve("scripts/make-rootfs.sh").toString(), rootfs.toString())).ok();
        Path tar = dir.resolve("rootfs.tar");
        Exec.run(Map.of(), List.of("tar", "-C", rootfs.toString(), "-cf", tar.toString(), ".")).ok();
        return tar;
    }

    /** Writes an OCI image-layout archive of the layer to out, its image named name (docker.io/library/x:tag). */
    static Path ociArchive(Path layer, String name, Path out) throws IOException {
        Path layout = Files.createDirectories(out.resolveSibling(out.getFileName() + ".layout"));
        Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));
        String layerDigest = sha256(layer);
        Files.copy(layer, blobs.resolve(layerDigest));
        String config = """
                {"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],\
                "Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}""".formatted(layerDigest);
        String configDigest = blob(blobs, config);
        String manifest = """
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",\
                "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%d},\
                "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%d}]}"""
                .formatted(configDigest, config.getBytes(StandardCharsets.UTF_8).length, layerDigest, Files.size(layer));
        String manifestDigest = blob(blobs, manifest);
        Files.writeString(layout.resolve("index.json"), """
                {"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",\
                "digest":"sha256:%s","size":%d,"annotations":{"io.containerd.image.name":"%s",\
                "org.opencontainers.image.ref.name":"%s"}}]}"""
                .formatted(manifestDigest, manifest.getBytes(StandardCharsets.UTF_8).length, name, name.substring(name.lastIndexOf(':') + 1)));
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Exec.run(Map.of(), List.of("tar", "-C", layout.toString(), "-cf", out.toString(), ".")).ok();
        Host.deleteTree(layout);
        return out;
    }

    private static String blob(Path blobs, String content) throws IOException {
        Path temp = blobs.resolve("incoming");
        Files.writeString(temp, content);
        String digest = sha256(temp);
        Files.move(temp, blobs.resolve(digest));
        return digest;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
