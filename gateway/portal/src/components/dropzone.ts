/** A drop zone that is also the label of a (hidden) file input: dropped or chosen files go to `onFiles`. */
import { h } from '../dom';

export function dropZone(input: HTMLInputElement, label: string, hint: string, onFiles: (files: FileList | null) => void): HTMLElement {
    const zone = h('label', { class: 'dropzone', for: input.id }, h('strong', null, label), h('span', null, hint));
    zone.addEventListener('dragover', (e) => {
        e.preventDefault();
        zone.classList.add('dragging');
    });
    zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
    zone.addEventListener('drop', (e) => {
        e.preventDefault();
        zone.classList.remove('dragging');
        onFiles(e.dataTransfer?.files ?? null);
    });
    input.addEventListener('change', () => {
        onFiles(input.files);
        input.value = ''; // so the same file can be chosen again
    });
    return zone;
}
