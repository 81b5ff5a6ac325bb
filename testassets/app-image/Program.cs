System.Console.WriteLine("hello from the app image: " + string.Join(" ", args));
