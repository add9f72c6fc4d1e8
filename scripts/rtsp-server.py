#!/usr/bin/python3
"""A real RTSP server for Tally's tests and demos: Debian's GStreamer RTSP server (gir1.2-gst-rtsp-server-1.0,
python3-gi) serving a video file transcoded to H.264 at rtsp://127.0.0.1:PORT/stream.

Usage: /usr/bin/python3 scripts/rtsp-server.py --port 8554 --file ../shared/media/vtest.avi [--passthrough]
--port 0 picks a free port. Prints one line `READY rtsp://127.0.0.1:PORT/stream` on stdout once it listens.
--passthrough: the file is already H.264 in Matroska (no B-frames); it is sent as it is, without decoding or
re-encoding, and every client gets its own playback from the first frame (bench:box: each camera sees exactly the
frames of the file, and the server costs next to no CPU).
"""
import argparse
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8554)
    parser.add_argument("--file", required=True)
    parser.add_argument("--mount", default="/stream")
    parser.add_argument("--passthrough", action="store_true")
    args = parser.parse_args()

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    factory = GstRtspServer.RTSPMediaFactory()
    location = args.file.replace('"', '\\"')
    # decodebin picks the file's demuxer and decoder; x264 re-encodes for RTSP clients (keyframe every second).
    if args.passthrough:
        factory.set_launch(
            f'( filesrc location="{location}" ! matroskademux ! h264parse '
            "! rtph264pay name=pay0 pt=96 config-interval=1 )"
        )
        factory.set_shared(False)
    else:
        factory.set_launch(
            f'( filesrc location="{location}" ! decodebin ! videoconvert ! video/x-raw,format=I420 '
            "! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=10 bitrate=1500 "
            "! rtph264pay name=pay0 pt=96 config-interval=1 )"
        )
        factory.set_shared(True)
    server.get_mount_points().add_factory(args.mount, factory)
    if server.attach(None) == 0:
        print(f"cannot listen on 127.0.0.1:{args.port}", file=sys.stderr)
        return 1
    print(f"READY rtsp://127.0.0.1:{server.get_bound_port()}{args.mount}", flush=True)
    try:
        GLib.MainLoop().run()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
