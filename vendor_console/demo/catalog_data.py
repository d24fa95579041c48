"""The Hazel & Rye demo catalog as data: ten categories, about 200 products.

Each product line is ``name | blurb | price in cents | dietary tags | variant scheme | crafts
extra``. Prices include Irish VAT. Variant schemes are defined in ``demo/catalog.py``.
Crafts extras are ``width x height x depth mm, weight g``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CategorySpec:
    name: str
    color: str
    tax: str  # tax rate code
    kind: str  # baked, drink, shelf, craft
    description: str  # template with {blurb}
    material: str | None
    style: str | None
    products: str  # one product per line, see the module docstring


CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec("Breads", "#C8A26B", "zero", "baked",
                 "{blurb}. Slow-fermented and baked every morning in our oven in Stoneybatter.",
                 None, None, """
Sourdough Country Loaf | A crackly crust and an open, tangy crumb | 650 | vegan | loaf
Dark Rye Loaf | Dense, malty and full of whole rye kernels | 620 | vegan,dairy-free | loaf
Seeded Spelt Loaf | Spelt with pumpkin, sunflower and linseed | 640 | vegan | loaf
Brown Soda Bread | Buttermilk and coarse wholemeal, the way Nana made it | 480 | | loaf
White Soda Farl | Griddle-baked quarters, best toasted | 350 | |
Treacle Soda Bread | Dark, sweet and sticky with black treacle | 520 | | loaf
Potato Farls | Four soft farls for the pan | 380 | vegetarian |
Rosemary Focaccia | Olive oil, sea salt and fresh rosemary | 550 | vegan |
Olive & Thyme Focaccia | Kalamata olives and lemon thyme | 590 | vegan |
Sandwich Tin Loaf | Soft white tin for the lunchbox | 420 | vegan | loaf
Wholemeal Honey Loaf | Stoneground wholemeal sweetened with Wicklow honey | 560 | | loaf
Cinnamon Raisin Loaf | Swirled with cinnamon sugar and plump raisins | 580 | | loaf
Walnut & Fig Sourdough | Studded with figs and toasted walnuts | 720 | vegan,contains-nuts | loaf
Buckwheat Loaf | Naturally gluten-free, nutty and moist | 680 | gluten-free,vegan | loaf
Danish Rye | Rugbrød with sunflower seeds, sliced thin | 640 | vegan,dairy-free | loaf
Baguette | A proper crust and a creamy crumb | 290 | vegan |
Cheddar & Chive Bloomer | Mature Irish cheddar baked into the crust | 620 | vegetarian | loaf
Sunflower Rye | Light rye with toasted sunflower seeds | 600 | vegan | loaf
Brioche Loaf | Rich with butter and free-range eggs | 650 | vegetarian | loaf
Fennel & Raisin Loaf | Sweet-savoury, lovely with cheese | 620 | vegan | loaf
"""),
    CategorySpec("Pastries", "#E3B95F", "reduced", "baked",
                 "{blurb}. Laminated by hand with Irish butter and baked through the morning.",
                 None, None, """
Butter Croissant | Flaky layers of cultured Irish butter | 280 | vegetarian |
Almond Croissant | Twice-baked with frangipane and flaked almonds | 380 | contains-nuts |
Pain au Chocolat | Two batons of dark chocolate | 320 | vegetarian |
Cinnamon Knot | Cardamom dough tied with cinnamon butter | 340 | vegetarian |
Cardamom Bun | Swedish-style with freshly ground cardamom | 340 | vegetarian |
Pain aux Raisins | Crème pâtissière and rum-soaked raisins | 340 | vegetarian |
Apple Turnover | Bramley apples in puff pastry | 360 | vegetarian |
Raspberry Danish | Vanilla custard and Irish raspberries | 380 | vegetarian |
Custard Danish | A pool of vanilla custard | 350 | vegetarian |
Morning Bun | Orange zest and cinnamon sugar | 340 | vegetarian |
Ham & Cheese Croissant | Baked ham, Gruyère and Dijon | 480 | |
Spinach & Feta Roll | Spinach, feta and pine nuts in puff pastry | 450 | vegetarian,contains-nuts |
Sausage Roll | Free-range pork from Tipperary, fennel seed | 420 | dairy-free |
Vegan Veggie Roll | Lentil, mushroom and thyme in vegan puff pastry | 420 | vegan,dairy-free |
Plain Scone | Buttermilk scone, jam and cream on the side | 260 | vegetarian | single6
Fruit Scone | Sultanas and a little orange peel | 280 | vegetarian | single6
Cheese Scone | Mature cheddar and a pinch of cayenne | 290 | vegetarian | single6
Kouign-Amann | Caramelised Breton butter cake | 390 | vegetarian |
Chelsea Bun | Currants, lemon and a sticky glaze | 340 | vegetarian |
Pecan Sticky Bun | Toffee glaze and toasted pecans | 390 | vegetarian,contains-nuts |
"""),
    CategorySpec("Cakes", "#D98C8C", "reduced", "baked",
                 "{blurb}. Sold by the slice, or whole (serves 10) with a day's notice.",
                 None, None, """
Lemon Drizzle | Zesty sponge soaked in lemon syrup | 380 | vegetarian | cake
Carrot Cake | Spiced sponge, walnuts, cream cheese frosting | 420 | vegetarian,contains-nuts | cake
Chocolate Fudge Cake | Three layers of dark chocolate | 450 | vegetarian | cake
Victoria Sponge | Raspberry jam and vanilla buttercream | 380 | vegetarian | cake
Coffee & Walnut Cake | Espresso buttercream, walnut halves | 420 | vegetarian,contains-nuts | cake
Guinness Chocolate Cake | Stout chocolate cake with a creamy top | 450 | vegetarian | cake
Porter Cake | Fruit cake made with Irish porter | 380 | dairy-free | cake
Barmbrack | Tea-soaked fruit loaf, a ring hidden inside | 350 | dairy-free | cake
Apple Crumble Cake | Bramley apples under an oat crumble | 400 | vegetarian | cake
Lemon & Polenta Cake | Almond and polenta, no wheat | 420 | gluten-free,contains-nuts | cake
Banana Bread | Ripe bananas, brown sugar and a little spice | 350 | vegetarian | cake
Orange & Almond Cake | Oranges and almonds | 420 | gluten-free,dairy-free,contains-nuts | cake
Raspberry Frangipane Tart | Almond cream and raspberries | 450 | vegetarian,contains-nuts | cake
Salted Caramel Brownie | Fudgy brownie, a ribbon of salted caramel | 380 | vegetarian | cake
Vegan Chocolate Cake | Rich and dark, nobody can tell | 450 | vegan,dairy-free | cake
Tea Brack | Fruit soaked overnight in strong tea | 350 | dairy-free | cake
Bakewell Tart | Cherry jam, frangipane, a feathered top | 420 | vegetarian,contains-nuts | cake
Rhubarb & Custard Cake | Roasted rhubarb and custard sponge | 420 | vegetarian | cake
Sticky Ginger Loaf | Stem ginger and black treacle | 360 | vegetarian | cake
Baked Vanilla Cheesecake | New York style on a digestive base | 480 | vegetarian | cake
"""),
    CategorySpec("Cookies", "#B9874F", "reduced", "baked",
                 "{blurb}. Baked in small batches through the day.", None, None, """
Chocolate Chunk Cookie | Brown butter and 70 % dark chocolate | 280 | vegetarian | single6
Oat & Raisin Cookie | Chewy oats and juicy raisins | 250 | vegetarian | single6
Double Chocolate Cookie | Cocoa dough, milk chocolate chunks | 290 | vegetarian | single6
Peanut Butter Cookie | Crunchy peanut butter and sea salt | 280 | vegetarian,contains-nuts | single6
Ginger Snap | Thin, crisp and fiery | 180 | vegan | single6
Shortbread Finger | All butter, a sugar crust | 200 | vegetarian | single6
Millionaire's Shortbread | Shortbread, caramel and chocolate | 320 | vegetarian |
Flapjack | Golden syrup and jumbo oats | 280 | vegetarian |
Vegan Oat Cookie | Oats, coconut oil and maple syrup | 260 | vegan,dairy-free | single6
Almond Amaretti | Soft almond biscuits | 200 | gluten-free,dairy-free,contains-nuts | single6
Coconut Macaroon | Dipped in dark chocolate | 240 | gluten-free,dairy-free | single6
Lemon Shortbread | Lemon zest and a lemon glaze | 220 | vegetarian | single6
Hazelnut Biscotti | Twice baked for dunking | 180 | dairy-free,contains-nuts | single6
Rye Chocolate Cookie | Dark rye flour and dark chocolate | 290 | vegetarian | single6
Snickerdoodle | Rolled in cinnamon sugar | 240 | vegetarian | single6
Anzac Biscuit | Golden syrup, oats and coconut | 220 | vegetarian | single6
Florentine | Candied peel and almonds on chocolate | 320 | gluten-free,contains-nuts |
White Chocolate & Cranberry Cookie | Tart cranberries, sweet chocolate | 280 | vegetarian | single6
Wholemeal Digestive | The proper one, with a cup of tea | 160 | vegetarian | single6
Gingerbread Person | Iced by hand, every face different | 300 | vegetarian |
"""),
    CategorySpec("Preserves", "#A4416B", "zero", "shelf",
                 "{blurb}. Made in small batches in our kitchen from Irish fruit where we can.",
                 None, None, """
Strawberry Jam | Wexford strawberries, soft set | 550 | vegan,gluten-free | jar
Raspberry Jam | Sharp and bright | 580 | vegan,gluten-free | jar
Blackcurrant Jam | Deep, tart and full of fruit | 580 | vegan,gluten-free | jar
Seville Orange Marmalade | Thick cut, bittersweet | 550 | vegan,gluten-free | jar
Lemon Curd | Free-range eggs and Irish butter | 590 | vegetarian,gluten-free |
Rhubarb & Ginger Jam | Garden rhubarb and stem ginger | 560 | vegan,gluten-free | jar
Damson Jam | Wild damsons, dark and rich | 590 | vegan,gluten-free | jar
Apricot Jam | A little almond kernel for depth | 560 | vegan,gluten-free | jar
Blackberry & Apple Jam | Hedgerow blackberries and Bramleys | 550 | vegan,gluten-free | jar
Gooseberry Jam | Tart green gooseberries | 560 | vegan,gluten-free | jar
Plum & Star Anise Jam | Victoria plums with a hint of spice | 580 | vegan,gluten-free | jar
Three-Fruit Marmalade | Orange, lemon and grapefruit | 550 | vegan,gluten-free | jar
Red Onion Marmalade | Slow-cooked with balsamic vinegar | 620 | vegan,gluten-free |
Tomato Chutney | Ripe tomatoes, brown sugar, a little chilli | 600 | vegan,gluten-free |
Apple & Date Chutney | Made for cheese boards | 600 | vegan,gluten-free |
Piccalilli | Crunchy vegetables in mustard | 620 | vegan |
Wildflower Honey | Raw honey from hives in County Wicklow | 950 | gluten-free,dairy-free | jar
Salted Caramel Sauce | For ice cream or a spoon | 650 | vegetarian,gluten-free |
Chilli Jam | Sweet heat for cheese and burgers | 620 | vegan,gluten-free |
Elderflower Cordial | Picked in June, dilute 1 to 10 | 750 | vegan,gluten-free |
"""),
    CategorySpec("Coffee & Tea", "#6B4A3A", "reduced", "drink",
                 "{blurb}.", None, None, """
House Espresso Blend | Chocolate and hazelnut notes; beans sold by weight | 2800 | vegan | beans
Ethiopia Yirgacheffe | Jasmine and bergamot; beans by weight | 3600 | vegan | beans
Colombia Huila | Red apple and caramel, medium roast; beans sold by weight | 3200 | vegan | beans
Swiss Water Decaf | Smooth, sweet, no caffeine; beans sold by weight | 3200 | vegan | beans
Guatemala Antigua | Cocoa and orange peel; beans sold by weight | 3400 | vegan | beans
Irish Breakfast Tea | Strong Assam blend, loose leaf by weight | 6 | vegan | loose
Earl Grey | Black tea with real bergamot, loose leaf by weight | 7 | vegan | loose
Sencha Green Tea | Grassy Japanese green, loose leaf by weight | 9 | vegan | loose
Chamomile Flowers | Whole flowers, calming, loose by weight | 8 | vegan | loose
Peppermint Leaf | Bright and cooling, loose by weight | 6 | vegan | loose
Rooibos Chai | Caffeine-free with warming spices, loose by weight | 8 | vegan | loose
Americano | Double shot of the house blend | 320 | vegan | drink
Flat White | Double ristretto and silky milk | 370 | vegetarian | drink
Cappuccino | Espresso with deep foam | 360 | vegetarian | drink
Latte | Espresso and plenty of steamed milk | 380 | vegetarian | drink
Hot Chocolate | Real 54 % chocolate melted into milk | 400 | vegetarian | drink
Pot of Tea | Any of our loose-leaf teas, brewed to order | 300 | vegan | drink
Chai Latte | Spiced chai concentrate made in-house | 400 | vegetarian | drink
Iced Coffee | Cold espresso over ice and milk | 400 | vegetarian | drink
Mocha | Espresso and our hot chocolate | 420 | vegetarian | drink
"""),
    CategorySpec("Ceramics", "#7A9E9F", "standard", "craft",
                 "{blurb}. Thrown by hand in our studio; each piece varies a little. "
                 "Dishwasher safe.", "Stoneware", "Hand-thrown", """
Hand-thrown Mug | Holds a generous 350 ml | 3200 | | colour | 90x100x90,380
Espresso Cup | A small cup for a short coffee | 1800 | | colour | 65x65x65,150
Small Bowl | For olives, dips or a breakfast berries | 2200 | | colour | 120x55x120,280
Serving Bowl | Wide and deep for salads | 6500 | | colour | 260x100x260,1300
Side Plate | 18 cm, with a raw clay rim | 2400 | | colour | 180x20x180,420
Dinner Plate | 27 cm, everyday sturdy | 3800 | | colour | 270x25x270,850
Bud Vase | One stem at a time | 2600 | | colour | 70x140x70,310
Milk Jug | Pours without dribbling, promise | 3000 | | colour | 90x120x110,400
Butter Dish | Lidded, holds a 250 g block | 4200 | | colour | 170x80x110,700
Teapot | Four cups, with a built-in strainer | 8500 | | colour | 200x160x150,1100
Salt Cellar | With a little wooden spoon | 2200 | | colour | 80x60x80,250
Planter | With a drainage hole and saucer | 3600 | | colour | 140x130x140,900
Spoon Rest | For the side of the hob | 1600 | | colour | 130x25x80,200
Ring Dish | A small dish for the bedside | 1400 | | colour | 90x20x90,120
Candle Holder | For a dinner candle | 2000 | | colour | 80x50x80,220
Tumbler | Handleless, for water or wine | 2400 | | colour | 80x100x80,260
Pasta Bowl | Wide rim, shallow well | 3400 | | colour | 230x50x230,780
Serving Platter | Oval, for a roast or a cheese board | 7200 | | colour | 380x35x260,1600
Egg Cup | Two, for a slow breakfast | 1600 | | colour | 50x55x50,90
Sugar Bowl | Lidded, with a spoon notch | 2800 | | colour | 100x90x100,380
"""),
    CategorySpec("Candles & Soap", "#9C89B8", "standard", "craft",
                 "{blurb}. Poured and cut by hand; fragranced with essential oils.",
                 None, "Handmade", """
Soy Wax Candle | A 40-hour burn in a reusable amber jar | 2400 | vegan | scent | 80x90x80,420
Beeswax Pillar Candle | Irish beeswax, honey-scented | 1800 | | | 60x100x60,300
Beeswax Taper Pair | Two dinner candles, drip-free | 1400 | | | 22x250x22,120
Travel Tin Candle | A 15-hour burn for the road | 1200 | vegan | scent | 70x45x70,150
Oat & Honey Soap | Gentle for dry skin | 700 | | | 80x30x60,110
Seaweed Soap | Carrageen from the west coast | 700 | vegan | | 80x30x60,110
Lavender Soap | Cold process with lavender buds | 700 | vegan | | 80x30x60,110
Charcoal Soap | Activated charcoal and tea tree | 700 | vegan | | 80x30x60,110
Goat Milk Soap | Creamy and unscented | 750 | | | 80x30x60,110
Shampoo Bar | Lasts as long as two bottles | 1200 | vegan | scent | 65x25x65,90
Conditioner Bar | Solid, plastic-free conditioner | 1200 | vegan | | 65x25x65,90
Hand Cream | Shea butter and beeswax | 1400 | | scent | 60x60x60,120
Lip Balm | Beeswax and calendula | 500 | | | 20x70x20,15
Bath Salts | Epsom and Dead Sea salts | 1500 | vegan | scent | 80x120x80,450
Wax Melts | Six soy melts for a burner | 800 | vegan | scent | 120x20x60,90
Reed Diffuser | Lasts about three months | 2800 | vegan | scent | 70x250x70,350
Room Spray | A spritz of something nice | 1600 | vegan | scent | 45x150x45,160
Wooden Soap Dish | Beech, with drainage slats | 900 | | | 110x20x75,60
Bath Bomb | Fizzy, with dried petals | 600 | vegan | scent | 65x65x65,150
Massage Candle | Melts into a warm oil | 2600 | vegan | scent | 80x70x80,220
"""),
    CategorySpec("Textiles", "#8FA868", "standard", "craft",
                 "{blurb}. Made in Ireland in small runs; wash cool, dry flat.",
                 "Linen", "Handmade", """
Linen Tea Towel | Stonewashed Irish linen | 1800 | | colour | 500x700x2,80
Wool Throw | Donegal wool, big enough for two | 12500 | | colour | 1300x1800x10,1200
Knitted Beanie | Chunky rib in merino | 3500 | | colour | 220x250x10,110
Merino Scarf | Soft, long and warm | 5500 | | colour | 300x1800x5,200
Canvas Tote Bag | Printed with our wheat sheaf | 1800 | | colour | 380x420x5,180
Linen Apron | Cross-back, with a deep pocket | 4500 | | colour | 700x850x5,300
Oven Glove | Quilted, heat resistant | 2200 | | colour | 180x320x20,120
Linen Napkins | Set of four | 3600 | | colour | 450x450x2,160
Table Runner | Block printed by hand | 4200 | | colour | 350x2000x2,280
Cushion Cover | 45 cm, envelope back | 3800 | | colour | 450x450x5,200
Linen Bread Bag | Keeps a loaf fresh for days | 2200 | | colour | 350x450x2,90
Beeswax Wraps | Set of three, washable | 1800 | | | 300x300x1,60
Knitted Mittens | Aran pattern, lined | 3200 | | colour | 110x250x20,120
Baby Blanket | Cellular cotton, soft | 4800 | | colour | 800x1000x5,350
Hot Water Bottle Cover | Knitted wool, with a bottle | 4000 | | colour | 220x350x30,400
Pot Holder | Quilted square, loop to hang | 1200 | | colour | 200x200x10,60
Market Bag | Crocheted cotton, stretches a lot | 2600 | | colour | 350x400x5,150
Patchwork Cushion | Made from linen off-cuts | 4500 | | | 450x450x150,600
Bread Basket | Linen, holds a whole loaf | 2800 | | colour | 250x100x250,120
Wool Socks | Hand-knitted, size 5 to 9 | 2800 | | colour | 100x250x10,90
"""),
    CategorySpec("Cards & Prints", "#E07A5F", "standard", "craft",
                 "{blurb}. Designed in the shop and printed in Dublin on recycled paper.",
                 "Recycled paper", "Illustrated", """
Bakery Illustration Print | Our shopfront in ink and watercolour | 1500 | | print | 210x297x1,20
Sourdough Anatomy Print | Every bubble labelled | 1500 | | print | 210x297x1,20
Wild Atlantic Way Print | Cliffs, sea and a lone cottage | 1800 | | print | 210x297x1,20
Linocut Hare Print | A hand-pulled linocut | 3500 | | | 300x400x1,30
Riso Lighthouse Print | Two-colour risograph | 2500 | | | 297x420x1,30
Dublin Map Print | Our favourite bakeries marked | 2500 | | print | 210x297x1,20
Hedgehog Birthday Card | Blank inside | 450 | | | 148x148x2,25
Thank You Card | Hand-lettered | 450 | | | 148x148x2,25
Congratulations Card | With gold foil | 500 | | | 148x148x2,25
Thinking of You Card | Soft wildflowers | 450 | | | 148x148x2,25
Wildflower Blank Card | For anything at all | 400 | | | 148x148x2,25
Christmas Card Pack | Six cards, robins and holly | 1200 | | | 150x150x15,160
Dot Grid Notebook | A5, lay-flat binding | 1400 | | | 148x210x10,220
Postcard Set | Eight Irish landmarks | 1000 | | | 105x148x8,90
Recipe Card Set | Twelve of our favourite bakes | 1200 | | | 105x148x10,120
Wall Calendar | A bake for every month | 1600 | | | 210x297x5,200
Letterpress Bookmark | On heavy cotton paper | 350 | | | 50x180x1,8
Gift Tags | Ten, with twine | 500 | | | 60x100x10,30
Wrapping Paper | Two sheets, wheat pattern | 600 | | | 500x700x1,40
Sticker Sheet | Bakes and pots, waterproof | 400 | | | 105x148x1,10
"""),
)
