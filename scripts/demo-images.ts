import sharp from 'sharp'

/**
 * Pictures for the demo threads, drawn at seed time (no binary files in the repository): SVG
 * shapes rendered by sharp, then stored through the upload pipeline like any member's upload
 * (sniffed, re-encoded, into UPLOAD_DIR or S3). No text in them: fonts differ between machines.
 */
const svg = (width: number, height: number, body: string) =>
  Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${body}</svg>`)

const window = (width: number, height: number, content: string) =>
  svg(
    width,
    height,
    `<rect width="${width}" height="${height}" fill="#eef1f5"/>
     <rect x="10" y="10" width="${width - 20}" height="${height - 20}" rx="8" fill="#ffffff" stroke="#c9d1db"/>
     <rect x="10" y="10" width="${width - 20}" height="28" rx="8" fill="#dfe5ec"/>
     <circle cx="28" cy="24" r="5" fill="#e5534b"/><circle cx="44" cy="24" r="5" fill="#e0a82e"/><circle cx="60" cy="24" r="5" fill="#3fb950"/>
     ${content}`,
  )

/** CPU use over a morning: flat, then pinned at 100% after wake-up. */
function cpuChart() {
  const bars = Array.from({ length: 24 }, (_, i) => {
    const value = i < 9 ? 8 + ((i * 7) % 11) : 96 + (i % 3)
    const h = Math.round((value / 100) * 170)
    return `<rect x="${34 + i * 22}" y="${230 - h}" width="16" height="${h}" rx="2" fill="${i < 9 ? '#5b8def' : '#e5534b'}"/>`
  }).join('')
  return window(600, 260, `<line x1="30" y1="230" x2="570" y2="230" stroke="#8b949e"/><line x1="30" y1="60" x2="570" y2="60" stroke="#d0d7de" stroke-dasharray="4 4"/>${bars}`)
}

/** A phone feed where every picture is a grey box. */
function greyBoxes() {
  const rows = [0, 1, 2]
    .map(
      (r) =>
        `<rect x="30" y="${54 + r * 64}" width="72" height="52" rx="4" fill="#c4c9cf"/>
         <rect x="116" y="${60 + r * 64}" width="${150 + ((r * 37) % 60)}" height="10" rx="5" fill="#8b949e"/>
         <rect x="116" y="${80 + r * 64}" width="${110 + ((r * 53) % 70)}" height="8" rx="4" fill="#d0d7de"/>`,
    )
    .join('')
  return window(340, 260, rows)
}

/** A settings dialog with the backup quota bar half full and a red error banner. */
function quotaDialog() {
  return window(
    520,
    220,
    `<rect x="30" y="54" width="460" height="34" rx="6" fill="#fde2e1" stroke="#e5534b"/>
     <circle cx="50" cy="71" r="8" fill="#e5534b"/>
     <rect x="66" y="66" width="240" height="10" rx="5" fill="#b62324"/>
     <rect x="30" y="112" width="460" height="18" rx="9" fill="#e6ebf1"/>
     <rect x="30" y="112" width="228" height="18" rx="9" fill="#3fb950"/>
     <rect x="30" y="150" width="120" height="32" rx="6" fill="#0969da"/>
     <rect x="164" y="150" width="90" height="32" rx="6" fill="#ffffff" stroke="#c9d1db"/>`,
  )
}

export const demoImages = {
  'cpu-chart': { fileName: 'activity-monitor.png', draw: cpuChart, format: 'png' },
  'grey-boxes': { fileName: 'feed-on-mobile-data.jpg', draw: greyBoxes, format: 'jpeg' },
  'quota-dialog': { fileName: 'backup-error.png', draw: quotaDialog, format: 'png' },
} as const

export type DemoImage = keyof typeof demoImages

/** The image's bytes, as a member's browser would send them. */
export async function drawDemoImage(name: DemoImage): Promise<{ bytes: Uint8Array; fileName: string }> {
  const image = demoImages[name]
  const pipeline = sharp(image.draw())
  const bytes = image.format === 'png' ? await pipeline.png().toBuffer() : await pipeline.jpeg({ quality: 85 }).toBuffer()
  return { bytes: new Uint8Array(bytes), fileName: image.fileName }
}
