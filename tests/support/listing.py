"""The listing most tests start from: every field a seller fills in, valid as it is."""

LISTING = {
    "title": "Blue denim jacket",
    "description": "Worn twice, no stains.",
    "price": "45.00",
    "condition": "VERY_GOOD",
    "category": "women-clothing",
    "subcategory": "women-jackets-and-coats",
    "size": "M",
    "color": "Blue",
    "brand": "Levi's",
}
