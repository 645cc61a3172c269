'use strict';
// Names for the parts of the admin's autocomplete boxes (select2) that have none. The search
// box of a multiple choice (Topics, Regions) is named after its field, and the mouse-only
// "clear all" cross is hidden from assistive technology (the keyboard clears with Backspace).
// select2 draws both again as choices change, so they are named whenever the form changes.
{
    const fieldName = (select) => {
        const label = select.id && document.querySelector(`label[for="${select.id}"]`);
        const text = label ? label.textContent : select.getAttribute('aria-label') || select.name;
        return text.replace(/:\s*$/, '').trim();
    };

    const nameAutocompletes = () => {
        for (const select of document.querySelectorAll('select.admin-autocomplete')) {
            const box = select.nextElementSibling;
            if (!box || !box.classList.contains('select2')) {
                continue;
            }
            const search = box.querySelector('.select2-search__field');
            if (search && !search.hasAttribute('aria-label')) {
                search.setAttribute('aria-label', `Search ${fieldName(select)}`);
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
