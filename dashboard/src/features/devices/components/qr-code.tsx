import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/** A QR code of `text` as an SVG image (no canvas needed), so a phone at the box can read the command. */
export function QrCode({ text, label }: { text: string; label: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }).then((svg) => {
      if (live) setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
    });
    return () => {
      live = false;
    };
  }, [text]);
  if (!src) return <div className="qr" aria-busy="true" />;
  return <img className="qr" src={src} alt={label} data-testid="provision-qr" />;
}
