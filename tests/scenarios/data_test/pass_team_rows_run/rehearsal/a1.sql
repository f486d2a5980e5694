-- Phones as production holds them: letters for zeros, spaces, a leading plus.
INSERT INTO people (name, phone)
VALUES ('Ravi Textiles', '36OO02'), ('Mehta Cotton', '+91 98250'), ('Shah Ginning', '');
