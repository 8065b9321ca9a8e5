/** SHA-256 of a file, computed in the browser (crypto.subtle), as lowercase hex: what the ledger anchors. */
export async function sha256Hex(data: Blob | ArrayBuffer): Promise<string> {
    const bytes = data instanceof Blob ? await data.arrayBuffer() : data;
    const digest = await crypto.subtle.digest('SHA-256', bytes);
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
