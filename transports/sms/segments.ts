/**
 * How many SMS parts a body costs. A body of GSM-7 characters takes 160
 * septets in one message, 153 per part when concatenated (the extension
 * characters `^{}\[~]|€` and form feed take two); anything else is sent as
 * UCS-2: 70 UTF-16 units in one message, 67 per part.
 */
const gsmBasic = new Set('@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà')
const gsmExtension = new Set('^{}\\[~]|€\f')

export interface Segments {
  readonly encoding: 'GSM-7' | 'UCS-2'
  /** Septets (GSM-7) or UTF-16 units (UCS-2). */
  readonly units: number
  readonly segments: number
}

export function smsSegments (body: string): Segments {
  let septets = 0
  for (const character of body) {
    if (gsmBasic.has(character)) septets += 1
    else if (gsmExtension.has(character)) septets += 2
    else return { encoding: 'UCS-2', units: body.length, segments: body.length <= 70 ? 1 : Math.ceil(body.length / 67) }
  }
  return { encoding: 'GSM-7', units: septets, segments: septets <= 160 ? 1 : Math.ceil(septets / 153) }
}
