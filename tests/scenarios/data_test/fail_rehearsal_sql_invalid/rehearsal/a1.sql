-- Written for a column that was never created.
INSERT INTO people (name, city)
VALUES ('Ravi Textiles', 'Rajkot');
INSERT INTO people (name, gstin) VALUES ('Mehta Cotton', '24AAAAA0000A1Z5');
