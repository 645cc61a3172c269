'use strict';
// Names for the parts of the admin's autocomplete boxes (select2) that have none. A single
// choice (a credit's contributor, a quote's source) is named by its field's label (or, in a
// table row, its column head) followed by the choice; the search box of a multiple choice
// (Topics, Regions) is named after its field; the mouse-only "clear all" cross is hidden
// from assistive technology (the keyboard clears with Backspace). select2 draws these again
// as choices change and rows are added, so they are named whenever the form changes.
{
    // The element that names `select`: its <label>, or the head of its column in a table.
    const nameElement = (select) => {
        const label = select.id && document.querySelector(`label[for="${select.id}"]`);
        if (label) {
            return label;
        }
        const cell = select.closest('td');
        const field = cell && [...cell.classList].find((name) => name.startsWith('field-'));
        const table = cell && cell.closest('table');
        return (field && table && table.querySelector(`thead th.column-${field.slice(6)}`)) || null;
    };

    const nameAutocompletes = () => {
        for (const select of document.querySelectorAll('select.admin-autocomplete')) {
            const box = select.nextElementSibling;
            const named = nameElement(select);
            if (!box || !box.classList.contains('select2') || !named) {
                continue;
            }
            if (!named.id) {
                named.id = `${select.id}-name`;
            }
            const single = box.querySelector('.select2-selection--single[role="combobox"]');
            const shown = single && single.getAttribute('aria-labelledby');
            if (shown && !shown.split(' ').includes(named.id)) {
                single.setAttribute('aria-labelledby', `${named.id} ${shown}`);
                // The choice shown inside is a read-only textbox of its own: same name.
                const choice = document.getElementById(shown);
                if (choice) {
                    choice.setAttribute('aria-labelledby', `${named.id} ${shown}`);
                }
            }
            const search = box.querySelector('.select2-selection--multiple .select2-search__field');
            if (search && !search.hasAttribute('aria-label')) {
                const text = named.textContent.replace(/:\s*$/, '').trim();
                search.setAttribute('aria-label', `Search ${text}`);
            }
            for (const cross of box.querySelectorAll('.select2-selection__clear')) {
                cross.setAttribute('aria-hidden', 'true');
            }
        }
    };

    const start = () => {
        nameAutocompletes();
        new MutationObserver(nameAutocompletes).observe(document.body, {childList: true, subtree: true});
    };
    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    } else {
        start();
    }
}
