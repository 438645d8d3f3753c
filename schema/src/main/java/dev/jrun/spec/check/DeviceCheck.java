package dev.jrun.spec.check;

import dev.jrun.spec.model.Linux;
import dev.jrun.spec.model.Spec;
import java.util.HashMap;
import java.util.Map;

/** linux.devices: absolute container paths, each once; character and block devices need major and minor numbers. */
final class DeviceCheck implements SemanticCheck {
    @Override
    public String name() {
        return "devices";
    }

    @Override
    public void check(Spec spec, CheckContext context, Findings findings) {
        if (spec.linux() == null) {
            return;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < spec.linux().devices().size(); i++) {
            Linux.Device device = spec.linux().devices().get(i);
            String at = "/linux/devices/" + i;
            PathRules.requireAbsoluteContained(at + "/path", device.path(), "a device path", findings);
            Integer earlier = device.path() == null ? null : seen.putIfAbsent(device.path(), i);
            if (earlier != null) {
                findings.error(at + "/path", "the device path is listed twice (first at /linux/devices/" + earlier + ")",
                        "each path once", Findings.quoted(device.path()));
            }
            boolean needsNumbers = !"p".equals(device.type());
            if (needsNumbers && (device.major() == null || device.minor() == null)) {
                findings.error(at, "a " + ("b".equals(device.type()) ? "block" : "character") + " device needs major and minor numbers",
                        "major and minor, e.g. major: 1, minor: 3 for /dev/null", "major " + device.major() + ", minor " + device.minor());
            }
        }
    }
}
